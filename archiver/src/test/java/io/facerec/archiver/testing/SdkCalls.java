package io.facerec.archiver.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiPredicate;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * Records every S3 call a client makes, with the HTTP headers really sent, and can stand in for
 * a crash (a call that throws before it is sent) or a store that returns other bytes.
 */
public final class SdkCalls implements ExecutionInterceptor {
    /** One call: operation, object key (or null), and the request headers as transmitted. */
    public record Call(String operation, String key, Map<String, List<String>> headers) {
        public Optional<String> header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .flatMap(e -> e.getValue().stream()).findFirst();
        }
    }

    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> maxInFlight = new ConcurrentHashMap<>();
    private volatile BiPredicate<String, String> crashOn = (op, key) -> false;
    private volatile BiPredicate<String, String> rewriteOn = (op, key) -> false;
    private volatile UnaryOperator<byte[]> rewrite = UnaryOperator.identity();
    private volatile BiPredicate<String, String> headerOn = (op, key) -> false;
    private volatile String headerName;
    private volatile String headerValue;

    /** Calls matching (operation, key) throw before anything is sent, as if the process died there. */
    public void crashOn(BiPredicate<String, String> when) {
        crashOn = when;
    }

    /** Response bodies of matching calls are replaced by {@code how} of them. */
    public void rewriteResponses(BiPredicate<String, String> when, UnaryOperator<byte[]> how) {
        rewriteOn = when;
        rewrite = how;
    }

    /** Responses of matching calls carry {@code name: value} instead of what the server sent. */
    public void rewriteHeader(BiPredicate<String, String> when, String name, String value) {
        headerName = name;
        headerValue = value;
        headerOn = when;
    }

    public void reset() {
        calls.clear();
        maxInFlight.clear();
        crashOn = (op, key) -> false;
        rewriteOn = (op, key) -> false;
        headerOn = (op, key) -> false;
    }

    public List<Call> calls() {
        return new ArrayList<>(calls);
    }

    public List<Call> calls(String operation) {
        return calls.stream().filter(c -> c.operation().equals(operation)).toList();
    }

    public int maxConcurrent(String operation) {
        AtomicInteger m = maxInFlight.get(operation);
        return m == null ? 0 : m.get();
    }

    private static String op(ExecutionAttributes a) {
        return a.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
    }

    private static String key(SdkRequest r) {
        return r.getValueForField("Key", String.class).orElse(null);
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attrs) {
        if (crashOn.test(op(attrs), key(context.request()))) {
            throw SdkClientException.create("injected crash before " + op(attrs) + " " + key(context.request()));
        }
        int now = inFlight.computeIfAbsent(op(attrs), k -> new AtomicInteger()).incrementAndGet();
        maxInFlight.computeIfAbsent(op(attrs), k -> new AtomicInteger()).accumulateAndGet(now, Math::max);
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attrs) {
        calls.add(new Call(op(attrs), key(context.request()), context.httpRequest().headers()));
    }

    @Override
    public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context, ExecutionAttributes attrs) {
        Optional<InputStream> body = context.responseBody();
        if (body.isEmpty() || !rewriteOn.test(op(attrs), key(context.request()))) {
            return body;
        }
        try (InputStream in = body.get()) {
            return Optional.of(new ByteArrayInputStream(rewrite.apply(in.readAllBytes())));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attrs) {
        if (headerOn.test(op(attrs), key(context.request()))) {
            return context.httpResponse().toBuilder().putHeader(headerName, headerValue).build();
        }
        return context.httpResponse();
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attrs) {
        done(attrs);
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attrs) {
        done(attrs);
    }

    private void done(ExecutionAttributes attrs) {
        AtomicInteger n = inFlight.get(op(attrs));
        if (n != null) {
            n.decrementAndGet();
        }
    }
}

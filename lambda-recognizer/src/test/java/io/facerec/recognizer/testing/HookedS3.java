package io.facerec.recognizer.testing;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.function.Consumer;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3 client with a hook before every call: to hold a caller at a chosen point, make it die
 * there, or change what it is about to meet. The calls themselves go to the real server.
 */
public final class HookedS3 {
    private HookedS3() {
    }

    /** Runs before each call with the operation's name ("putObject", ...) and its request. */
    public interface Hook {
        void before(String operation, Object request) throws Exception;
    }

    public static S3Client wrap(S3Client real, Hook hook) {
        InvocationHandler h = (proxy, method, args) -> {
            if (args != null && args.length > 0 && args[0] instanceof Consumer) {
                // the builder forms are interface defaults that build the request and call the plain form
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            if (args != null && args.length > 0) {
                hook.before(method.getName(), args[0]);
            }
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (S3Client) Proxy.newProxyInstance(S3Client.class.getClassLoader(), new Class<?>[] {S3Client.class}, h);
    }

    /** The object key of a request that has one, else null. */
    public static String key(Object request) {
        try {
            return (String) request.getClass().getMethod("key").invoke(request);
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }
}

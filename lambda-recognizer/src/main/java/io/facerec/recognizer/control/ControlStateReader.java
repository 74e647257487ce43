package io.facerec.recognizer.control;

import io.facerec.model.control.ControlState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * The control record as the recognizer honours it (recognition on or off, the threshold set through
 * the results API): one consistent GetItem of {@code pk = CONTROL} at most every
 * {@code CONTROL_REFRESH_S} per container. When the read fails the last state read is kept (at
 * start, {@link ControlState#DEFAULT}): a DynamoDB hiccup must not stop recognition.
 */
public class ControlStateReader {
    private static final Logger LOG = LogManager.getLogger(ControlStateReader.class);

    private final DynamoDbClient ddb;
    private final String table;
    private final Duration refresh;
    private final Clock clock;
    private ControlState state = ControlState.DEFAULT;
    private Instant readAt = Instant.MIN;
    private String lastProblem;

    public ControlStateReader(DynamoDbClient ddb, String table, Duration refresh, Clock clock) {
        this.ddb = ddb;
        this.table = table;
        this.refresh = refresh;
        this.clock = clock;
    }

    /** Always {@code state}: for the CLI and tests that have no table. */
    public static ControlStateReader fixed(ControlState state) {
        return new ControlStateReader(null, null, Duration.ZERO, Clock.systemUTC()) {
            @Override
            public ControlState current() {
                return state;
            }
        };
    }

    public synchronized ControlState current() {
        Instant now = clock.instant();
        if (readAt != Instant.MIN && now.isBefore(readAt.plus(refresh))) {
            return state;
        }
        readAt = now;
        try {
            GetItemResponse r = ddb.getItem(b -> b.tableName(table).consistentRead(true)
                    .key(Map.of("pk", AttributeValue.fromS(ControlState.PK), "sk", AttributeValue.fromS(ControlState.SK))));
            AttributeValue json = r.hasItem() ? r.item().get(ControlState.ATTRIBUTE) : null;
            ControlState next = json == null || json.s() == null ? ControlState.DEFAULT : ControlState.fromJson(json.s());
            if (next.revision() != state.revision() || next.active() != state.active()) {
                LOG.info("control record revision {}: recognition {}, threshold {}", next.revision(),
                        next.active() ? "on" : "stopped", next.threshold() == null ? "from the deployment" : next.threshold());
            }
            state = next;
            lastProblem = null;
        } catch (RuntimeException e) {
            String problem = e.getClass().getSimpleName();
            if (!problem.equals(lastProblem)) {
                LOG.warn("control record could not be read ({}): keeping revision {}", e.toString(), state.revision());
                lastProblem = problem;
            }
        }
        return state;
    }
}

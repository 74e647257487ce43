package io.facerec.localstack;

import io.facerec.loopback.sdkcalls.ProductRole;
import io.facerec.loopback.sdkcalls.SdkCallRecorder;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The local stack's product clients recorded for the IAM contract (cdk tests): the forwarder's client
 * in this JVM, and the recognizer's process through the SDK's global interceptor file on a classpath
 * entry of its own (the Lambda jar stays as it ships).
 */
final class RecordedProduct {
    private RecordedProduct() {
    }

    static LocalStack.ProductHooks hooks(Class<?> test, Path workDir) {
        SdkCallRecorder forwarder = SdkCallRecorder.forTest(ProductRole.FORWARDER, test, Map.of("S3_BUCKET", LocalStack.BUCKET));
        SdkCallRecorder.ProcessRecording recognizer = SdkCallRecorder.forProcess(ProductRole.RECOGNIZER, test, workDir);
        return new LocalStack.ProductHooks(List.of(forwarder), List.of(recognizer.classpathEntry()), recognizer.environment());
    }
}

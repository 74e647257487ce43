package io.facerec.dlibmodel;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Just enough of the protobuf wire format to write an ONNX model: varints, length-delimited
 * fields and fixed32 floats. Fields come out in the order they are written, so the same calls give
 * the same bytes.
 */
final class OnnxProto {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    OnnxProto varint(int field, long value) {
        key(field, 0);
        raw(value);
        return this;
    }

    OnnxProto string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    OnnxProto bytes(int field, byte[] value) {
        key(field, 2);
        raw(value.length);
        out.writeBytes(value);
        return this;
    }

    OnnxProto message(int field, OnnxProto value) {
        return bytes(field, value.toByteArray());
    }

    OnnxProto fixed32(int field, float value) {
        key(field, 5);
        int bits = Float.floatToRawIntBits(value);
        for (int i = 0; i < 4; i++) {
            out.write(bits >>> (8 * i));
        }
        return this;
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    private void key(int field, int wireType) {
        raw((long) field << 3 | wireType);
    }

    private void raw(long v) {
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}

package io.facerec.dlibmodel;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * An ONNX graph under construction: nodes in topological order, named initializers, one float
 * input and one float output. Field numbers are those of onnx.proto (ModelProto, GraphProto,
 * NodeProto, AttributeProto, TensorProto, ValueInfoProto).
 */
final class OnnxGraph {
    static final int FLOAT = 1;
    static final int UINT8 = 2;
    static final int INT64 = 7;
    static final long IR_VERSION = 8;
    static final long OPSET = 13;

    private final List<OnnxProto> nodes = new ArrayList<>();
    private final List<OnnxProto> initializers = new ArrayList<>();
    private int counter;

    /** A node attribute: ints (INTS) or one int (INT). */
    record Attr(String name, long[] ints, boolean list) {
        static Attr ints(String name, long... v) {
            return new Attr(name, v, true);
        }

        static Attr i(String name, long v) {
            return new Attr(name, new long[] {v}, false);
        }
    }

    /** Adds {@code op(inputs)} and returns the name of its one output. */
    String node(String op, String output, List<String> inputs, Attr... attrs) {
        OnnxProto n = new OnnxProto();
        for (String in : inputs) {
            n.string(1, in);
        }
        n.string(2, output);
        n.string(3, op + "_" + counter++);
        n.string(4, op);
        for (Attr a : attrs) {
            OnnxProto p = new OnnxProto().string(1, a.name());
            if (a.list()) {
                for (long v : a.ints()) {
                    p.varint(8, v);
                }
                p.varint(20, 7); // AttributeType.INTS
            } else {
                p.varint(3, a.ints()[0]);
                p.varint(20, 2); // AttributeType.INT
            }
            n.message(5, p);
        }
        nodes.add(n);
        return output;
    }

    String floats(String name, float[] values, long... dims) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return initializer(name, FLOAT, b.array(), dims);
    }

    String uint8(String name, byte[] values, long... dims) {
        return initializer(name, UINT8, values, dims);
    }

    String int64s(String name, long... values) {
        ByteBuffer b = ByteBuffer.allocate(8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return initializer(name, INT64, b.array(), values.length);
    }

    private String initializer(String name, int type, byte[] raw, long... dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        int width = type == FLOAT ? 4 : type == INT64 ? 8 : 1;
        if (n * width != raw.length) {
            throw new IllegalArgumentException(name + ": " + raw.length + " bytes for " + n + " elements");
        }
        OnnxProto t = new OnnxProto();
        for (long d : dims) {
            t.varint(1, d);
        }
        t.varint(2, type);
        t.string(8, name);
        t.bytes(9, raw);
        initializers.add(t);
        return name;
    }

    /** The serialised ModelProto. */
    byte[] model(String producer, String input, long[] inputShape, String output, long[] outputShape) {
        OnnxProto g = new OnnxProto();
        for (OnnxProto n : nodes) {
            g.message(1, n);
        }
        g.string(2, producer);
        for (OnnxProto t : initializers) {
            g.message(5, t);
        }
        g.message(11, valueInfo(input, inputShape));
        g.message(12, valueInfo(output, outputShape));
        return new OnnxProto()
                .varint(1, IR_VERSION)
                .string(2, producer)
                .message(7, g)
                .message(8, new OnnxProto().string(1, "").varint(2, OPSET))
                .toByteArray();
    }

    private static OnnxProto valueInfo(String name, long[] shape) {
        OnnxProto dims = new OnnxProto();
        for (long d : shape) {
            dims.message(1, new OnnxProto().varint(1, d));
        }
        OnnxProto tensorType = new OnnxProto().varint(1, FLOAT).message(2, dims);
        return new OnnxProto().string(1, name).message(2, new OnnxProto().message(1, tensorType));
    }
}

package io.facerec.model.gallery;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * A face descriptor received from outside (the kiosk's face-api vector, sent to
 * {@code POST /api/register}), stored beside a person's photos as
 * {@code enroll/<name>/<id>.descriptor.json}:
 * <pre>{"format":"facerec-descriptor/1","model":"dlib-resnet-v1","dimension":128,
 *  "descriptor":[...],"source":"api-register","client_id":"..."}</pre>
 * {@code id} is the first 16 hex digits of the SHA-256 of the descriptor's numbers as written, so
 * the same vector registered twice is one file. The numbers are dlib's 128-d space, compared by
 * Euclidean distance; they become gallery rows only in a gallery of that model.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonPropertyOrder({"format", "model", "dimension", "descriptor", "source", "client_id"})
public record DescriptorFile(String format, String model, int dimension, List<Double> descriptor, String source,
                             @JsonProperty("client_id") String clientId) {
    public static final String FORMAT = "facerec-descriptor/1";
    /** dlib's face recognition ResNet (face_recognition, face-api.js): 128 numbers. */
    public static final String DLIB_MODEL = "dlib-resnet-v1";
    public static final int DLIB_DIMENSION = 128;
    public static final String SUFFIX = ".descriptor.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    public DescriptorFile {
        descriptor = List.copyOf(descriptor);
        if (descriptor.size() != dimension) {
            throw new IllegalArgumentException("descriptor has " + descriptor.size() + " numbers, its dimension says "
                    + dimension);
        }
        for (Double d : descriptor) {
            if (d == null || !Double.isFinite(d)) {
                throw new IllegalArgumentException("descriptor numbers must be finite");
            }
        }
    }

    /** A dlib descriptor as the kiosk sends it. */
    public static DescriptorFile dlib(List<Double> numbers, String source, String clientId) {
        return new DescriptorFile(FORMAT, DLIB_MODEL, DLIB_DIMENSION, numbers, source, clientId);
    }

    public float[] toFloats() {
        float[] f = new float[descriptor.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = descriptor.get(i).floatValue();
        }
        return f;
    }

    /** The file name under the person's folder: content-addressed by the numbers. */
    public String fileName() {
        StringBuilder b = new StringBuilder(model).append('\n');
        for (Double d : descriptor) {
            b.append(Double.toString(d)).append(',');
        }
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 8) + SUFFIX;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static boolean isDescriptorFile(String file) {
        return file.toLowerCase(Locale.ROOT).endsWith(SUFFIX);
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses and checks a descriptor file; anything else is an {@link IllegalArgumentException} with the reason. */
    public static DescriptorFile fromJson(byte[] json) {
        DescriptorFile d;
        try {
            d = JSON.readValue(json, DescriptorFile.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("descriptor file is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new IllegalArgumentException("descriptor file could not be read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            Throwable c = e.getCause() != null ? e.getCause() : e;
            throw new IllegalArgumentException("descriptor file is invalid: " + c.getMessage(), e);
        }
        if (d == null || !FORMAT.equals(d.format())) {
            throw new IllegalArgumentException("descriptor file format must be " + FORMAT);
        }
        return d;
    }
}

package io.facerec.api.register;

import com.fasterxml.jackson.databind.JsonNode;
import io.facerec.api.http.ApiError;
import io.facerec.api.http.JsonBody;
import io.facerec.model.gallery.DescriptorFile;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * POST /register, event-driven like every enrolment: what was received is written under
 * {@code enroll/<name>/}, and that write is what makes the recognizer enrol the person. A 128-number
 * {@code encoding} (the kiosk's face-api descriptor) becomes {@code <id>.descriptor.json}
 * ({@link DescriptorFile}); a photo ({@code image_url}, or {@code image} as base64 or a data URL) is
 * stored as the JPEG or PNG it is, named by its SHA-256. Everything is checked before anything is
 * written, so a refused request leaves nothing behind.
 */
public final class RegistrationService {
    static final String PREFIX = "enroll/";
    private static final Pattern CLIENT_ID = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");

    private final S3Client s3;
    private final String bucket;
    private final ImageFetcher fetcher;
    private final long maxImageBytes;

    public RegistrationService(S3Client s3, String bucket, ImageFetcher fetcher, long maxImageBytes) {
        this.s3 = s3;
        this.bucket = bucket;
        this.fetcher = fetcher;
        this.maxImageBytes = maxImageBytes;
    }

    public Map<String, Object> register(JsonBody body) {
        String name = checkName(body.string("name", 200).orElseThrow(() -> ApiError.badRequest("name is required")));
        Optional<String> clientId = body.string("client_id", 200);
        Optional<DescriptorFile> descriptor = body.raw("encoding").map(e -> descriptor(e, clientId.orElse(null)));
        Optional<String> imageUrl = body.string("image_url", 4096);
        Optional<String> image = body.string("image", (int) (maxImageBytes * 4 / 3 + 1024));
        if (descriptor.isEmpty() && imageUrl.isEmpty() && image.isEmpty()) {
            throw ApiError.badRequest("encoding (128 numbers), image_url or image is required");
        }
        byte[] photo = image.map(this::decodeImage).orElseGet(() -> imageUrl.map(fetcher::fetch).orElse(null));
        String photoExt = photo == null ? null : photoExtension(photo);

        List<String> written = new ArrayList<>();
        String folder = PREFIX + name + "/";
        if (descriptor.isPresent()) {
            String key = folder + descriptor.get().fileName();
            s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/json").metadata(meta(clientId)),
                    RequestBody.fromBytes(descriptor.get().toJson()));
            written.add(key);
        }
        if (photo != null) {
            String key = folder + sha(photo) + photoExt;
            s3.putObject(b -> b.bucket(bucket).key(key).contentType(photoExt.equals(".png") ? "image/png" : "image/jpeg")
                    .metadata(meta(clientId)), RequestBody.fromBytes(photo));
            written.add(key);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("success", true);
        out.put("status", "registered");
        out.put("name", name);
        out.put("message", "Registered " + name + ": enrolment runs from enroll/ within seconds");
        out.put("files", written);
        return out;
    }

    /** A name is a folder: no slash, no control characters, not '.' or '..'; spaces and accents are fine. */
    static String checkName(String raw) {
        String name = raw.strip();
        if (name.isEmpty()) {
            throw ApiError.badRequest("name must not be empty");
        }
        if (name.length() > 100) {
            throw ApiError.badRequest("name must be at most 100 characters");
        }
        if (name.equals(".") || name.equals("..") || name.contains("/") || name.contains("\\")
                || name.chars().anyMatch(c -> Character.isISOControl(c))) {
            throw ApiError.badRequest("name must not contain '/', '\\' or control characters, nor be '.' or '..'");
        }
        return java.text.Normalizer.normalize(name, java.text.Normalizer.Form.NFC);
    }

    static DescriptorFile descriptor(JsonNode e, String clientId) {
        if (!e.isArray()) {
            throw ApiError.badRequest("encoding must be an array of " + DescriptorFile.DLIB_DIMENSION + " numbers");
        }
        if (e.size() != DescriptorFile.DLIB_DIMENSION) {
            throw ApiError.badRequest("encoding must have " + DescriptorFile.DLIB_DIMENSION + " numbers, got " + e.size());
        }
        List<Double> numbers = new ArrayList<>(e.size());
        for (JsonNode n : e) {
            if (!n.isNumber() || !Double.isFinite(n.asDouble())) {
                throw ApiError.badRequest("encoding must contain only finite numbers");
            }
            numbers.add(n.asDouble());
        }
        return DescriptorFile.dlib(numbers, "api-register", clientId);
    }

    private byte[] decodeImage(String image) {
        String data = image.strip();
        if (data.startsWith("data:")) {
            int comma = data.indexOf(',');
            if (comma < 0 || !data.substring(0, comma).endsWith(";base64")) {
                throw ApiError.badRequest("image must be base64 or a base64 data URL");
            }
            data = data.substring(comma + 1);
        }
        byte[] b;
        try {
            b = Base64.getDecoder().decode(data.replaceAll("\\s", ""));
        } catch (IllegalArgumentException ex) {
            throw ApiError.badRequest("image is not valid base64");
        }
        if (b.length > maxImageBytes) {
            throw ApiError.badRequest("image is larger than " + maxImageBytes + " bytes");
        }
        return b;
    }

    /** By content, whatever the URL or the client says. */
    static String photoExtension(byte[] b) {
        if (b.length > 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8 && (b[2] & 0xff) == 0xff) {
            return ".jpg";
        }
        if (b.length > 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return ".png";
        }
        throw ApiError.badRequest("image must be a JPEG or PNG");
    }

    private static Map<String, String> meta(Optional<String> clientId) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("source", "api-register");
        // S3 metadata is ASCII: an id outside that set stays in the descriptor file only
        clientId.filter(c -> CLIENT_ID.matcher(c).matches()).ifPresent(c -> m.put("client-id", c));
        return m;
    }

    private static String sha(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b), 0, 8);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

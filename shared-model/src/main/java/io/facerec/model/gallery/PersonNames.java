package io.facerec.model.gallery;

import io.facerec.model.match.Match;
import io.facerec.model.webhook.WebhookPayload;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Optional;

/**
 * What a person's name may be, wherever one comes from (a label in {@code labels.json}, an
 * {@code enroll/<name>/} folder). Names are kept in Unicode NFC, trimmed: "José" typed on a Mac
 * (decomposed) and on Windows (composed) is one person, not two look-alikes competing for the margin.
 */
public final class PersonNames {
    /** Longer is not a name; it would also crowd a DynamoDB key and every webhook. */
    public static final int MAX_LENGTH = 200;

    private PersonNames() {
    }

    /** NFC, without surrounding white space. */
    public static String normalise(String name) {
        return Normalizer.normalize(name, Normalizer.Form.NFC).strip();
    }

    /**
     * Why {@code name} (normalised) cannot be a person's, or empty when it can: blank, the name the
     * system gives unknown faces ("Desconocido" to the receiver, "unknown" on the records), a control
     * character (or a line separator or bidirectional override, which can disguise a name in a log or
     * a page), or over {@link #MAX_LENGTH} characters.
     */
    public static Optional<String> problem(String name) {
        if (name.isBlank()) {
            return Optional.of("is blank");
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals(WebhookPayload.UNKNOWN_NAME.toLowerCase(Locale.ROOT)) || lower.equals(Match.UNKNOWN)) {
            return Optional.of("is the name given to unknown faces");
        }
        int bad = name.codePoints().filter(PersonNames::isControl).findFirst().orElse(-1);
        if (bad >= 0) {
            return Optional.of(String.format("carries the control character U+%04X", bad));
        }
        if (name.codePointCount(0, name.length()) > MAX_LENGTH) {
            return Optional.of("is longer than " + MAX_LENGTH + " characters");
        }
        return Optional.empty();
    }

    /** The name quoted for a message or a log line, control characters shown as \\uXXXX, cut to a length. */
    public static String quoted(String name) {
        StringBuilder b = new StringBuilder("\"");
        name.codePoints().limit(MAX_LENGTH + 1L).forEach(cp -> {
            if (isControl(cp)) {
                b.append(String.format("\\u%04X", cp));
            } else {
                b.appendCodePoint(cp);
            }
        });
        return b.append(name.codePointCount(0, name.length()) > MAX_LENGTH + 1 ? "...\"" : "\"").toString();
    }

    static boolean isControl(int cp) {
        int type = Character.getType(cp);
        return type == Character.CONTROL || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
    }
}

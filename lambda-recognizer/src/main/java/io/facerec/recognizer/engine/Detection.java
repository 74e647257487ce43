package io.facerec.recognizer.engine;

/** A face the detector found: its box and score (0..1). */
public record Detection(Box box, float score) {
}

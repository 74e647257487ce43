package io.facerec.recognizer.engine;

import io.facerec.recognizer.image.ImageDecoder;

/**
 * How the engine looks at a frame.
 *
 * @param downscale    factor (0, 1] applied to the frame before the models see it, like the old
 *                     system's DOWNSCALE; boxes are still reported in full-frame pixels
 * @param minFacePx    faces shorter than this (full-frame pixels) are ignored: too small to match well
 * @param minScore     detector score a face must reach
 * @param minQuality   embedding length a face must reach: drops face-like things the detector is
 *                     sure of (a cat's face), which would otherwise be announced as strangers
 * @param maxPixels    frames larger than this are refused from their header, before decoding
 * @param tiledPass    a second detection pass over four overlapping tiles of the frame, each seen
 *                     larger than in the whole-frame pass: finds faces under about 40 px, at the
 *                     cost of four more detector runs (README, "Small faces"); off by default
 */
public record EngineConfig(double downscale, int minFacePx, float minScore, float minQuality, long maxPixels,
                           boolean tiledPass) {
    public static final double DEFAULT_DOWNSCALE = 1.0;
    public static final int DEFAULT_MIN_FACE_PX = 40;
    /** The two gates as `face gates` chooses them from the shared photos and video (README, "The gates"). */
    public static final float DEFAULT_MIN_SCORE = 0.82f;
    public static final float DEFAULT_MIN_QUALITY = 1.70f;

    public EngineConfig {
        if (!(downscale > 0 && downscale <= 1)) {
            throw new IllegalArgumentException("DOWNSCALE must be in (0, 1], got " + downscale);
        }
        if (minFacePx < 0) {
            throw new IllegalArgumentException("MIN_FACE_PX must be >= 0, got " + minFacePx);
        }
        if (!(minScore > 0 && minScore < 1)) {
            throw new IllegalArgumentException("detector score threshold must be in (0, 1), got " + minScore);
        }
        if (!(minQuality >= 0)) {
            throw new IllegalArgumentException("MIN_FACE_QUALITY must be >= 0, got " + minQuality);
        }
        if (maxPixels <= 0) {
            throw new IllegalArgumentException("MAX_PIXELS must be > 0, got " + maxPixels);
        }
    }

    public EngineConfig(double downscale, int minFacePx, float minScore, float minQuality, long maxPixels) {
        this(downscale, minFacePx, minScore, minQuality, maxPixels, false);
    }

    public static EngineConfig defaults() {
        return new EngineConfig(DEFAULT_DOWNSCALE, DEFAULT_MIN_FACE_PX, DEFAULT_MIN_SCORE, DEFAULT_MIN_QUALITY,
                ImageDecoder.DEFAULT_MAX_PIXELS);
    }

    public EngineConfig withDownscale(double d) {
        return new EngineConfig(d, minFacePx, minScore, minQuality, maxPixels, tiledPass);
    }

    public EngineConfig withMinFacePx(int px) {
        return new EngineConfig(downscale, px, minScore, minQuality, maxPixels, tiledPass);
    }

    public EngineConfig withGates(float score, float quality) {
        return new EngineConfig(downscale, minFacePx, score, quality, maxPixels, tiledPass);
    }

    public EngineConfig withTiledPass(boolean on) {
        return new EngineConfig(downscale, minFacePx, minScore, minQuality, maxPixels, on);
    }
}

package io.facerec.recognizer.track;

import io.facerec.recognizer.unknown.FaceCrops;
import io.facerec.recognizer.unknown.UnknownClusters;

/** What a frame's faces go through after matching: their camera's tracks, crops of unknown faces, and clusters. */
public record Tracking(Tracker tracker, FaceCrops crops, UnknownClusters clusters) {
}

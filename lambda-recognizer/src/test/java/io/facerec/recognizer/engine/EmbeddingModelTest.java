package io.facerec.recognizer.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.facerec.model.match.Metric;
import org.junit.jupiter.api.Test;

class EmbeddingModelTest {
    @Test
    void theOldSystemsGalleryWithoutSidecarIsDlib() {
        assertEquals(EmbeddingModel.DLIB, EmbeddingModel.forGallery(null, 128));
        assertEquals(EmbeddingModel.DLIB, EmbeddingModel.forGallery(" ", 128));
        assertEquals(EmbeddingModel.DEFAULT, EmbeddingModel.forGallery(null, 512));
    }

    @Test
    void theModelIdDecidesWhenThereIsOne() {
        assertEquals(EmbeddingModel.DLIB, EmbeddingModel.forGallery(FaceModels.DLIB_MODEL_ID, 128));
        assertEquals(EmbeddingModel.DLIB, EmbeddingModel.forGallery("DLIB_face_recognition_resnet_model_v1", 128));
        assertEquals(EmbeddingModel.DEFAULT, EmbeddingModel.forGallery(FaceModels.EMBEDDING_MODEL_ID, 512));
        // a 128-wide gallery of some other model is not ours to read as dlib: its own check refuses it
        assertEquals(EmbeddingModel.DEFAULT, EmbeddingModel.forGallery("facenet-128", 128));
    }

    @Test
    void eachModelCarriesWhatItsGalleryNeeds() {
        assertEquals("dlib-resnet-v1/face-api-1.7.15", EmbeddingModel.DLIB.modelId());
        assertEquals(128, EmbeddingModel.DLIB.dimension());
        assertEquals(Metric.EUCLIDEAN, EmbeddingModel.DLIB.metric());
        assertEquals(0.6, EmbeddingModel.DLIB.defaultThreshold());
        assertEquals(FaceModels.EMBEDDING_MODEL_ID, EmbeddingModel.DEFAULT.modelId());
        assertEquals(512, EmbeddingModel.DEFAULT.dimension());
        assertEquals(Metric.COSINE, EmbeddingModel.DEFAULT.metric());
        assertEquals(FaceModels.DEFAULT_THRESHOLD, EmbeddingModel.DEFAULT.defaultThreshold());
    }
}

package io.facerec.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** Sends one request to the API, whichever way it is served (the Lambda handler, or HTTP). */
public interface ApiTransport {
    /** The answer: status, JSON body, headers (lower-case names). */
    record Answer(int status, JsonNode body, Map<String, String> headers) {
    }

    Answer send(String method, String pathAndQuery, String body, Map<String, String> headers) throws Exception;
}

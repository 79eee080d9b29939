package dev.tidings.server.api;

import java.util.List;

import dev.tidings.server.config.TidingsConfig;
import dev.tidings.server.hub.TopicFilter;

/** What every stream request carries: its resume point and its topics. */
final class StreamRequests {

    static final String LAST_EVENT_ID_HEADER = "Last-Event-ID";
    private static final int MAX_LAST_EVENT_ID = 128;

    private StreamRequests() {
    }

    /** From the header, or the query parameter for clients that cannot set headers; null when neither. */
    static String lastEventId(String header, String query) {
        String id = header == null || header.isEmpty() ? query : header;
        if (id == null || id.isEmpty()) {
            return null;
        }
        if (id.length() > MAX_LAST_EVENT_ID) {
            throw ProblemException.badRequest("The last event id is longer than " + MAX_LAST_EVENT_ID + " characters");
        }
        return id;
    }

    /** @throws ProblemException 400 past {@code tidings.sse.max-topics}; InvalidTopicException for a bad name */
    static TopicFilter filter(List<String> topicsOrPatterns, TidingsConfig config) {
        if (topicsOrPatterns.size() > config.sse().maxTopics()) {
            throw ProblemException.badRequest("A stream may subscribe to at most " + config.sse().maxTopics()
                    + " topics or patterns");
        }
        return TopicFilter.of(topicsOrPatterns);
    }
}

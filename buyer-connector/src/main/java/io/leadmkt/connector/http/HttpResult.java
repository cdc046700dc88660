package io.leadmkt.connector.http;

/**
 * What became of one buyer call: the buyer answered ({@link HttpAnswer}, any status code), or it
 * did not ({@link HttpFailure}). The executor's futures always complete with one of the two and
 * never exceptionally, so every pinged buyer yields exactly one event.
 */
public sealed interface HttpResult permits HttpAnswer, HttpFailure {

    /** Time from handing the request to the executor until the answer (or the failure). */
    long latencyMs();
}

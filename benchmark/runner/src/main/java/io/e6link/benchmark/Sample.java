package io.e6link.benchmark;

/** One cold start: process start to first response, the second (warm) invocation, and peak RSS. */
record Sample(long coldMillis, long warmMillis, long peakRssKb) {
}

package dev.mayfly.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** The system's time plus whatever a test has moved it on by: time passes, and a test can skip some. */
public final class MovableClock extends Clock {

    private volatile Duration ahead = Duration.ZERO;

    public void moveOn(Duration by) {
        ahead = ahead.plus(by);
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(ahead);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException("a test's clock stays in UTC");
    }
}

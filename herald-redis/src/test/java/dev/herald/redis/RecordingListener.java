package dev.herald.redis;

import dev.herald.core.BrokerListener;
import dev.herald.wire.Publication;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Remembers what a broker reported, in order; safe to read from the test thread. */
final class RecordingListener implements BrokerListener {

    record Malformed(String kind, String detail) {}

    final List<Publication> publications = new CopyOnWriteArrayList<>();
    final List<Malformed> malformed = new CopyOnWriteArrayList<>();

    @Override
    public void onPublication(Publication publication) {
        publications.add(publication);
    }

    @Override
    public void onMalformed(String kind, String detail) {
        malformed.add(new Malformed(kind, detail));
    }

    List<String> malformedKinds() {
        return malformed.stream().map(Malformed::kind).toList();
    }

    List<String> channels() {
        return publications.stream().map(p -> p.channel().value()).toList();
    }
}

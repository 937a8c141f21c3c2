package dev.herald.demo.support;

import dev.herald.wire.Publication;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/** Every publication that reached the embedded Herald server (its node's firehose): what was really broadcast. */
public final class PublicationRecorder implements Consumer<Publication> {

    private final List<Publication> publications = new CopyOnWriteArrayList<>();

    @Override
    public void accept(Publication publication) {
        publications.add(publication);
    }

    public List<Publication> on(String channel) {
        return publications.stream().filter(p -> p.channel().value().equals(channel)).toList();
    }

    public List<Publication> all() {
        return List.copyOf(publications);
    }
}

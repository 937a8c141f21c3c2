package dev.herald.socketio.engineio;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link SessionHandler} that records what its session delivers. */
final class RecordingSessionHandler implements SessionHandler {

    final EngineIoSession session;
    final List<String> messages = new CopyOnWriteArrayList<>();
    final List<byte[]> binaries = new CopyOnWriteArrayList<>();
    final List<String> closeReasons = new CopyOnWriteArrayList<>();

    RecordingSessionHandler(EngineIoSession session) {
        this.session = session;
    }

    @Override
    public void onMessage(EngineIoSession s, String data) {
        messages.add(data);
    }

    @Override
    public void onBinary(EngineIoSession s, byte[] data) {
        binaries.add(data);
    }

    @Override
    public void onClose(EngineIoSession s, String reason) {
        closeReasons.add(reason);
    }
}

package dev.herald.server;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/**
 * {@code herald console}: the push server on embedded defaults (in-memory broker, nothing else to install) with
 * its web console, where a person subscribes to a channel, publishes a test event and watches it arrive.
 * ({@code ./herald demo} runs the payment and QR-login demo app, module herald-demo.)
 */
@Command(name = "console", mixinStandardHelpOptions = true,
        description = "Starts Herald on embedded defaults (in-memory broker, no Redis) and prints the console's URL.")
final class ConsoleCommand implements Callable<Integer> {

    @Option(names = "--port", defaultValue = "6001", description = "Port (default: ${DEFAULT-VALUE}).")
    int port;

    @Override
    public Integer call() throws InterruptedException {
        String key = ServerCommand.randomKey();
        ServerConfig config = ServerConfig.defaults(key).withPort(port);
        System.out.println("Herald console: open http://localhost:" + port + "/?key=" + key);
        System.out.println("  subscribe to a channel, publish a test event, and watch it arrive live.");
        return ServerCommand.runUntilStopped(config, true);
    }
}

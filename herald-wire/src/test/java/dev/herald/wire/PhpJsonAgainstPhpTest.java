package dev.herald.wire;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Compares {@link PhpJson} and {@link LaravelPayload} with the real thing when a {@code php} binary is on the PATH
 * (skipped otherwise): random strings over every range that matters go through PHP's {@code json_encode}.
 */
class PhpJsonAgainstPhpTest {

    private static final String SCRIPT = """
            while (($line = fgets(STDIN)) !== false) {
                $s = base64_decode(trim($line), true);
                echo json_encode($s), "\\n";
                echo json_encode(["event" => $s, "data" => ["id" => 1, "socket" => null], "socket" => $s]), "\\n";
            }
            """;

    @Test
    void randomStringsEncodeAsPhpDoes() throws Exception {
        Path php = findPhp();
        // .ci/run installs php; in CI its absence is a failure, not a reason to skip.
        if (php == null && "true".equals(System.getenv("CI"))) throw new AssertionError("CI=true but no php on the PATH");
        assumeTrue(php != null, "no php on the PATH");

        Random random = new Random(20240601);
        List<String> inputs = new ArrayList<>();
        for (int i = 0; i < 500; i++) inputs.add(randomString(random));
        inputs.add("App\\Events\\OrderShipped");
        inputs.add("\u007f\u0000\u001f \"\\/");

        Process process = new ProcessBuilder(php.toString(), "-r", SCRIPT).redirectErrorStream(true).start();
        try (OutputStream in = process.getOutputStream()) {
            for (String s : inputs) {
                in.write(Base64.getEncoder().encode(s.getBytes(StandardCharsets.UTF_8)));
                in.write('\n');
            }
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(out).isZero();

        String[] lines = out.split("\n");
        assertThat(lines).hasSize(inputs.size() * 2);
        for (int i = 0; i < inputs.size(); i++) {
            String s = inputs.get(i);
            assertThat(PhpJson.quote(s)).as("input #%d", i).isEqualTo(lines[2 * i]);
            Publication p = new Publication(ChannelName.of("c"), s.isEmpty() ? "x" : s, "{\"id\":1,\"socket\":null}",
                    s.isEmpty() ? null : s);
            if (!s.isEmpty()) assertThat(LaravelPayload.encodeToString(p)).as("payload #%d", i).isEqualTo(lines[2 * i + 1]);
        }
    }

    private static String randomString(Random random) {
        int length = random.nextInt(12);
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < length; j++) {
            int cp = switch (random.nextInt(6)) {
                case 0 -> random.nextInt(0x20);                      // control characters
                case 1 -> 0x20 + random.nextInt(0x60);               // printable ASCII and DEL
                case 2 -> 0x80 + random.nextInt(0x780);              // two-byte UTF-8
                case 3 -> 0x800 + random.nextInt(0xd800 - 0x800);    // three-byte, below the surrogates
                case 4 -> 0xe000 + random.nextInt(0x2000);           // three-byte, above the surrogates
                default -> 0x10000 + random.nextInt(0x100000);       // supplementary: surrogate pairs
            };
            sb.appendCodePoint(cp);
        }
        return sb.toString();
    }

    private static Path findPhp() {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "php");
            if (Files.isExecutable(candidate)) {
                try {
                    Process p = new ProcessBuilder(candidate.toString(), "-r", "echo json_encode('/');")
                            .redirectErrorStream(true).start();
                    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && out.equals("\"\\/\"")) return candidate;
                } catch (IOException | InterruptedException e) {
                    return null;
                }
            }
        }
        return null;
    }
}

package dev.herald.demo.provider;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * The provider's webhook signature (its "SDK", used by the provider to sign and by the merchant to verify), in the
 * style of Stripe's: header {@value #HEADER}: {@code t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>}.
 * The timestamp is signed with the body, so an old request cannot be replayed with a fresh timestamp.
 */
public final class WebhookSignature {

    public static final String HEADER = "Lumen-Signature";

    /** Why a request was refused, or {@link #VALID}. */
    public enum Verdict { VALID, MISSING, MALFORMED, BAD_SIGNATURE, STALE_TIMESTAMP }

    private WebhookSignature() {}

    /** The header value for {@code body} signed at {@code timestamp}. */
    public static String sign(String secret, Instant timestamp, byte[] body) {
        long t = timestamp.getEpochSecond();
        return "t=" + t + ",v1=" + HexFormat.of().formatHex(hmac(secret, t, body));
    }

    /**
     * Checks the signature first (constant-time), then that the signed timestamp is within {@code tolerance} of
     * {@code now}, either way.
     */
    public static Verdict verify(String secret, String header, byte[] body, Instant now, Duration tolerance) {
        if (header == null || header.isBlank()) return Verdict.MISSING;
        Long t = null;
        byte[] given = null;
        for (String part : header.split(",")) {
            String[] kv = part.trim().split("=", 2);
            if (kv.length != 2) return Verdict.MALFORMED;
            try {
                switch (kv[0]) {
                    case "t" -> t = Long.parseLong(kv[1]);
                    case "v1" -> given = HexFormat.of().parseHex(kv[1]);
                    default -> { /* other schemes: ignored, as Stripe does */ }
                }
            } catch (IllegalArgumentException e) {
                return Verdict.MALFORMED;
            }
        }
        if (t == null || given == null) return Verdict.MALFORMED;
        if (!MessageDigest.isEqual(hmac(secret, t, body), given)) return Verdict.BAD_SIGNATURE;
        long age = Math.abs(now.getEpochSecond() - t);
        return age > tolerance.toSeconds() ? Verdict.STALE_TIMESTAMP : Verdict.VALID;
    }

    private static byte[] hmac(String secret, long timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}

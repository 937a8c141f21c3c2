package dev.herald.demo;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Unguessable tokens: 128 random bits from {@link SecureRandom}, as 32 lowercase hex digits. */
public final class Tokens {

    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {}

    /** 128 random bits, hex. */
    public static String random128() {
        return random(16);
    }

    /** {@code bytes} random bytes, hex. */
    public static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** SHA-256 of the UTF-8 text, hex: what is stored of a secret token. */
    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code s} looks like a token of ours (bounded hex), before it reaches a query. */
    public static boolean plausible(String s) {
        return s != null && s.length() >= 16 && s.length() <= 64 && s.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }
}

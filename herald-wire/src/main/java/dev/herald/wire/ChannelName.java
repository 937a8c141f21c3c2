package dev.herald.wire;

/**
 * A validated channel name: 1 to {@value #MAX_LENGTH} characters from {@code A-Z a-z 0-9} and
 * {@code _ - = @ , . ; : +}. That covers Laravel's conventions ({@code orders.42}, {@code private-App.Models.User.7},
 * {@code presence-chat.1}) and Pusher's character set, and keeps names safe to log, to use as Redis keys and
 * to put in URLs.
 *
 * @param value the name, prefix included
 */
public record ChannelName(String value) {

    public static final int MAX_LENGTH = 200;

    public ChannelName {
        String problem = problem(value);
        if (problem != null) throw new InvalidChannelException(problem);
    }

    /** Parses and validates. @throws InvalidChannelException with a message fit for the client */
    public static ChannelName of(String value) {
        return new ChannelName(value);
    }

    /** Why a name is invalid, or {@code null} when it is valid. */
    public static String problem(String value) {
        if (value == null || value.isEmpty()) return "channel name is empty";
        if (value.length() > MAX_LENGTH) return "channel name is longer than " + MAX_LENGTH + " characters";
        for (int i = 0; i < value.length(); i++) {
            if (!allowed(value.charAt(i))) {
                return "channel name contains an invalid character at index " + i
                        + " (allowed: letters, digits and _-=@,.;:+)";
            }
        }
        return null;
    }

    public static boolean isValid(String value) { return problem(value) == null; }

    private static boolean allowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '_' || c == '-' || c == '=' || c == '@' || c == ',' || c == '.' || c == ';' || c == ':' || c == '+';
    }

    public ChannelKind kind() { return ChannelKind.of(value); }

    @Override
    public String toString() { return value; }
}

package dev.herald.wire;

/** JSON string escaping exactly as PHP's {@code json_encode} without flags. */
public final class PhpJson {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private PhpJson() {}

    /** Appends {@code value} as a quoted JSON string. */
    public static void appendString(StringBuilder sb, String value) {
        sb.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '/' -> sb.append("\\/");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20 || c >= 0x80) {
                        sb.append("\\u").append(HEX[(c >> 12) & 0xf]).append(HEX[(c >> 8) & 0xf])
                                .append(HEX[(c >> 4) & 0xf]).append(HEX[c & 0xf]);
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    public static String quote(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 2);
        appendString(sb, value);
        return sb.toString();
    }
}

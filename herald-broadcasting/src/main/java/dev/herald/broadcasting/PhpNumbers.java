package dev.herald.broadcasting;

import com.fasterxml.jackson.core.io.schubfach.DoubleToDecimal;
import com.fasterxml.jackson.core.io.schubfach.FloatToDecimal;

/**
 * Floating-point numbers as PHP's {@code json_encode} writes them (PHP 7.1+, {@code serialize_precision = -1},
 * without {@code JSON_PRESERVE_ZERO_FRACTION}): the shortest digits that read back to the same double, laid out by
 * {@code php_gcvt} with precision 17 and {@code 'e'}: {@code 42.0 -> 42}, {@code 0.1 -> 0.1},
 * {@code 0.0001 -> 0.0001}, {@code 0.00001 -> 1.0e-5}, {@code 1e16 -> 10000000000000000}, {@code 1e17 -> 1.0e+17},
 * {@code -0.0 -> -0}. NaN and infinities have no JSON form: PHP fails with {@code JSON_ERROR_INF_OR_NAN}, here an
 * {@link IllegalArgumentException}.
 *
 * <p>Shortest digits come from Jackson's copy of the Schubfach algorithm (JDK 17's {@code Double.toString} is not
 * always shortest). A Java {@code float} is written with its own shortest digits ({@code 0.1f -> 0.1}), as if the
 * app had written that decimal in PHP.
 */
final class PhpNumbers {

    private static final int PRECISION = 17;

    private PhpNumbers() {}

    static String formatDouble(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("PHP's json_encode cannot encode " + value + " (JSON has no NaN or INF)");
        }
        return layout(DoubleToDecimal.toString(value), true);
    }

    static String formatFloat(float value) {
        if (Float.isNaN(value) || Float.isInfinite(value)) {
            throw new IllegalArgumentException("PHP's json_encode cannot encode " + value + " (JSON has no NaN or INF)");
        }
        return layout(FloatToDecimal.toString(value), false);
    }

    /**
     * Re-lays out Java's decimal form ({@code -1.25E-7}, {@code 0.001}, {@code 12.0}) the way {@code php_gcvt} does.
     * Java always shows two significant digits when the shortest form has one (the closest two-digit decimal:
     * {@code Double.MIN_VALUE} is {@code 4.9E-324}); {@code zend_dtoa} keeps the one digit ({@code 5.0e-324}).
     */
    static String layout(String java, boolean isDouble) {
        boolean negative = java.startsWith("-");
        String s = negative ? java.substring(1) : java;
        int exponent = 0;
        int e = s.indexOf('E');
        if (e >= 0) {
            exponent = Integer.parseInt(s.substring(e + 1));
            s = s.substring(0, e);
        }
        int dot = s.indexOf('.');
        String integerPart = dot < 0 ? s : s.substring(0, dot);
        String fraction = dot < 0 ? "" : s.substring(dot + 1);
        // value = 0.<digits> * 10^decpt, as zend_dtoa reports it
        String digits = integerPart + fraction;
        int decpt = integerPart.length() + exponent;
        int lead = 0;
        while (lead < digits.length() - 1 && digits.charAt(lead) == '0') lead++;
        digits = digits.substring(lead);
        decpt -= lead;
        int end = digits.length();
        while (end > 1 && digits.charAt(end - 1) == '0') end--;
        digits = digits.substring(0, end);
        if (digits.equals("0")) decpt = 1;
        if (digits.length() == 2) {
            String shorter = oneDigit(digits, decpt, negative, isDouble, java);
            if (shorter != null) {
                if (shorter.equals("10")) {
                    digits = "1";
                    decpt++;
                } else {
                    digits = shorter;
                }
            }
        }

        StringBuilder out = new StringBuilder(24);
        if (negative) out.append('-');
        if (decpt < 0 ? decpt < -3 : decpt > PRECISION) {
            // exponential: d.ddd e(+|-)x, at least one fraction digit
            int x = decpt - 1;
            out.append(digits.charAt(0)).append('.');
            out.append(digits.length() > 1 ? digits.substring(1) : "0");
            out.append('e').append(x < 0 ? '-' : '+').append(Math.abs(x));
        } else if (decpt <= 0) {
            out.append("0.");
            out.append("0".repeat(-decpt));
            out.append(digits);
        } else {
            for (int i = 0; i < decpt; i++) out.append(i < digits.length() ? digits.charAt(i) : '0');
            if (digits.length() > decpt) out.append('.').append(digits, decpt, digits.length());
        }
        return out.toString();
    }

    /** The one significant digit (or "10") that reads back to the same number, the closer one if both do. */
    private static String oneDigit(String digits, int decpt, boolean negative, boolean isDouble, String java) {
        int first = digits.charAt(0) - '0';
        int second = digits.charAt(1) - '0';
        String down = Integer.toString(first);
        String up = Integer.toString(first + 1);
        boolean downOk = readsBack(down, decpt - 1, negative, isDouble, java);
        boolean upOk = readsBack(up, decpt - 1, negative, isDouble, java);
        if (downOk && upOk) return second < 5 ? down : up;
        return downOk ? down : upOk ? up : null;
    }

    private static boolean readsBack(String digit, int exponent, boolean negative, boolean isDouble, String java) {
        String candidate = (negative ? "-" : "") + digit + "E" + exponent;
        return isDouble ? Double.parseDouble(candidate) == Double.parseDouble(java)
                : Float.parseFloat(candidate) == Float.parseFloat(java);
    }
}

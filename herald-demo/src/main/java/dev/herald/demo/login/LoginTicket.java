package dev.herald.demo.login;

import java.time.Instant;

/**
 * A QR login attempt.
 *
 * @param channelToken the desktop page's push channel is {@code login.<channelToken>}: 128 random bits, known only to
 *                     the page that asked for the ticket (never in the QR code, so a photo of the screen does not
 *                     let anyone listen in)
 * @param scanToken    the capability in the QR code's URL (the phone's confirm page)
 * @param loginToken   the one-time token sent to the desktop page on confirmation, exchanged once for a session
 */
public record LoginTicket(long id, String channelToken, String scanToken, Status status, String loginToken,
                          String userName, Instant createdAt, Instant expiresAt, Instant confirmedAt, Instant usedAt) {

    public enum Status { WAITING, CONFIRMED, USED, EXPIRED }

    public String channel() {
        return channelOf(channelToken);
    }

    /**
     * Public channel (the only kind Herald serves until channel authorization exists): the unguessable token in the
     * name is the protection.
     */
    public static String channelOf(String channelToken) {
        return "login." + channelToken;
    }

    /** As stored, or EXPIRED for a ticket still waiting past its expiry. */
    public Status status(Instant now) {
        return status == Status.WAITING && !now.isBefore(expiresAt) ? Status.EXPIRED : status;
    }
}

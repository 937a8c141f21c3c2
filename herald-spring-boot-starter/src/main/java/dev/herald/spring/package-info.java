/**
 * Spring Boot auto-configuration for Herald: {@link dev.herald.spring.HeraldAutoConfiguration},
 * {@link dev.herald.spring.HeraldProperties} ({@code herald.*}), the after-commit
 * {@link dev.herald.spring.HeraldBroadcastListener}, {@code toOthers()} ({@link dev.herald.spring.BroadcastToOthers},
 * {@link dev.herald.spring.ToOthers}) and the {@link dev.herald.spring.EmbeddedHerald} server.
 */
package dev.herald.spring;

package dev.herald.broadcasting;

import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Java counterpart of PHP's public properties, which Laravel broadcasts when an event has no
 * {@code broadcastWith()}: record components in declaration order, or public instance fields (the class's own first,
 * then its superclasses', each in declaration order, as PHP's {@code ReflectionClass::getProperties()}).
 *
 * <p>Declaration order of fields comes from {@link Class#getDeclaredFields()}, which the JLS does not promise but
 * which javac and HotSpot (and every mainstream JVM) keep; records do not depend on it.
 */
final class PublicProperties {

    private PublicProperties() {}

    static Map<String, Object> of(Object event) {
        Class<?> type = event.getClass();
        Map<String, Object> properties = new LinkedHashMap<>();
        if (type.isRecord()) {
            for (RecordComponent component : type.getRecordComponents()) {
                properties.put(component.getName(), read(component, event));
            }
            return properties;
        }
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                int modifiers = field.getModifiers();
                if (!Modifier.isPublic(modifiers) || Modifier.isStatic(modifiers) || field.isSynthetic()) continue;
                properties.putIfAbsent(field.getName(), read(field, event));
            }
        }
        return properties;
    }

    private static Object read(RecordComponent component, Object event) {
        try {
            var accessor = component.getAccessor();
            accessor.setAccessible(true); // records declared in a non-public class or nested in a method
            return accessor.invoke(event);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("record component " + component.getName() + " of "
                    + event.getClass().getName() + " threw", e.getCause());
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot read record component " + component.getName() + " of "
                    + event.getClass().getName() + " (open its package to dev.herald.broadcasting, or override"
                    + " broadcastWith())", e);
        }
    }

    private static Object read(Field field, Object event) {
        try {
            field.setAccessible(true); // a public field of a non-public class
            return field.get(event);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot read field " + field.getName() + " of "
                    + event.getClass().getName() + " (open its package to dev.herald.broadcasting, or override"
                    + " broadcastWith())", e);
        }
    }
}

package io.pretext.jobs.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Binds one YAML section (a map of plain values) onto a config record.
 *
 * <p>Keys missing from the section keep the value of the given defaults; unknown keys and values of the wrong
 * type are refused with the key, the value, the rule and the fix. Value rules themselves live in each record's
 * compact constructor, which every binding goes through.
 */
public final class RecordBinder {

    private RecordBinder() {
    }

    /**
     * @param section  the YAML section name, e.g. {@code train}, used in messages
     * @param values   the section's key/value pairs (may be empty)
     * @param defaults the record whose values fill keys the section does not set
     */
    public static <R extends Record> R bind(String section, Map<String, ?> values, R defaults) {
        @SuppressWarnings("unchecked")
        Class<R> type = (Class<R>) defaults.getClass();
        RecordComponent[] components = type.getRecordComponents();
        List<String> known = Arrays.stream(components).map(RecordComponent::getName).toList();
        for (String key : values.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException("unknown key " + section + "." + key + suggestion(key, known)
                        + " (valid keys in the " + section + ": section: " + String.join(", ", known) + ")");
            }
        }
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            RecordComponent c = components[i];
            types[i] = c.getType();
            String key = section + "." + c.getName();
            if (values.containsKey(c.getName())) {
                args[i] = convert(key, values.get(c.getName()), c.getType(), c.getGenericType());
            } else {
                args[i] = read(c, defaults);
            }
        }
        try {
            Constructor<R> constructor = type.getDeclaredConstructor(types);
            return constructor.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("cannot build " + type.getSimpleName(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot build " + type.getSimpleName(), e);
        }
    }

    /** The record's values as a map, in declaration order, for writing the resolved config. */
    public static Map<String, Object> toMap(Record record) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (RecordComponent c : record.getClass().getRecordComponents()) {
            out.put(c.getName(), read(c, record));
        }
        return out;
    }

    private static Object read(RecordComponent c, Record from) {
        try {
            return c.getAccessor().invoke(from);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read " + c.getName(), e);
        }
    }

    static Object convert(String key, Object value, Class<?> type, Type generic) {
        if (value == null) {
            if (type.isPrimitive()) {
                throw wrongType(key, null, describe(type));
            }
            return null;
        }
        if (type == int.class || type == Integer.class) {
            return (int) integral(key, value, Integer.MIN_VALUE, Integer.MAX_VALUE, "an integer");
        }
        if (type == long.class || type == Long.class) {
            return integral(key, value, Long.MIN_VALUE, Long.MAX_VALUE, "an integer");
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
            double d;
            if (value instanceof Number n) {
                d = n.doubleValue();
            } else if (value instanceof String s) {
                try {
                    d = Double.parseDouble(s.trim());
                } catch (NumberFormatException e) {
                    throw wrongType(key, value, "a number");
                }
            } else {
                throw wrongType(key, value, "a number");
            }
            return type == float.class || type == Float.class ? (Object) (float) d : (Object) d;
        }
        if (type == boolean.class || type == Boolean.class) {
            if (value instanceof Boolean b) {
                return b;
            }
            if (value instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
                return Boolean.parseBoolean(s);
            }
            throw wrongType(key, value, "true or false");
        }
        if (type == String.class) {
            if (value instanceof Map || value instanceof List) {
                throw wrongType(key, value, "a single value");
            }
            return String.valueOf(value);
        }
        if (type.isEnum()) {
            String s = String.valueOf(value);
            for (Object constant : type.getEnumConstants()) {
                if (((Enum<?>) constant).name().equalsIgnoreCase(s.replace('-', '_'))) {
                    return constant;
                }
            }
            throw wrongType(key, value, "one of " + Arrays.stream(type.getEnumConstants())
                    .map(c -> ((Enum<?>) c).name().toLowerCase().replace('_', '-')).collect(Collectors.joining(", ")));
        }
        if (List.class.isAssignableFrom(type)) {
            List<?> items = value instanceof List<?> l ? l : splitList(value);
            Class<?> element = String.class;
            if (generic instanceof ParameterizedType p && p.getActualTypeArguments()[0] instanceof Class<?> c) {
                element = c;
            }
            List<Object> out = new ArrayList<>(items.size());
            for (int i = 0; i < items.size(); i++) {
                out.add(convert(key + "[" + i + "]", items.get(i), element, element));
            }
            return List.copyOf(out);
        }
        throw new IllegalStateException("config type " + type.getName() + " of " + key + " is not supported");
    }

    private static List<?> splitList(Object value) {
        String s = String.valueOf(value).trim();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        if (s.isBlank()) {
            return List.of();
        }
        return Arrays.stream(s.split(",")).map(String::trim).toList();
    }

    private static long integral(String key, Object value, long min, long max, String what) {
        long v;
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            v = ((Number) value).longValue();
        } else if (value instanceof Number n) {
            double d = n.doubleValue();
            if (d != Math.rint(d) || Double.isInfinite(d)) {
                throw wrongType(key, value, what);
            }
            v = (long) d;
        } else if (value instanceof String s) {
            try {
                v = Long.parseLong(s.trim().replace("_", ""));
            } catch (NumberFormatException e) {
                throw wrongType(key, value, what);
            }
        } else {
            throw wrongType(key, value, what);
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ", got " + v);
        }
        return v;
    }

    private static IllegalArgumentException wrongType(String key, Object value, String expected) {
        String shown = value instanceof String ? "'" + value + "'" : String.valueOf(value);
        String section = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
        return new IllegalArgumentException(key + " must be " + expected + ", got " + shown
                + " (set it in the " + section + ": section or with --set " + key + "=...)");
    }

    private static String describe(Class<?> type) {
        if (type == int.class || type == long.class) {
            return "an integer";
        }
        if (type == double.class || type == float.class) {
            return "a number";
        }
        if (type == boolean.class) {
            return "true or false";
        }
        return "a value";
    }

    private static String suggestion(String key, List<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String k : known) {
            int d = distance(key.toLowerCase(), k.toLowerCase());
            if (d < bestDistance) {
                bestDistance = d;
                best = k;
            }
        }
        return best != null && bestDistance <= Math.max(2, key.length() / 3) ? "; did you mean " + best + "?" : "";
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}

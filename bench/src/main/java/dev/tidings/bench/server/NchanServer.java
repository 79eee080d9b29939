package dev.tidings.bench.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * nginx with the nchan module, from the config template {@code bench/nchan/nginx.conf}: run in
 * the foreground with its own prefix directory under {@code bench/target}. Messages are kept in
 * shared memory ({@code nchan}), or, for several instances, in a redis-server they share
 * ({@code nchan-redis-x<instances>}, nchan's Redis storage), which the bench starts for the run.
 */
public final class NchanServer extends ServerUnderTest {

    private static final List<Path> MODULE_PLACES = List.of(
            Path.of("/usr/lib/nginx/modules/ngx_nchan_module.so"),
            Path.of("/usr/share/nginx/modules/ngx_nchan_module.so"),
            Path.of("/usr/lib64/nginx/modules/ngx_nchan_module.so"));

    private final Path template;
    private final Path workRoot;
    private final String workers;
    private final int instances;

    /**
     * @param template the nginx config with {@code @PORT@}, {@code @H2C_PORT@}, {@code @GZIP@},
     *        {@code @WORKERS@} and {@code @NCHAN_MODULE@}
     * @param workRoot where each run's prefix directory goes
     * @param workers nginx {@code worker_processes}: a number or {@code auto}
     * @param instances 0 for one instance with messages in memory; otherwise how many share one Redis
     */
    public NchanServer(Path logDir, Path template, Path workRoot, String workers, int instances) {
        super(logDir, instances > 0);
        this.template = template;
        this.workRoot = workRoot;
        this.workers = workers;
        this.instances = Math.max(1, instances);
    }

    /** {@code nchan}, or {@code nchan-redis-x<instances>}. */
    public static String name(int instances) {
        return instances == 0 ? "nchan" : "nchan-redis-x" + instances;
    }

    @Override
    public String name() {
        return name(redis() == null ? 0 : instances);
    }

    @Override
    public String describe() {
        String storage = redis() == null ? ""
                : "; Redis storage, " + instances + " instances on " + RedisProcess.version() + ", its CPU counted";
        return "nchan " + nchanVersion() + " on " + nginxVersion() + " (worker_processes " + workers + storage + ")";
    }

    @Override
    protected int replicaCount() {
        return instances;
    }

    public static String nginxVersion() {
        String out = output(nginx(), "-v");
        int slash = out.indexOf("nginx/");
        return slash >= 0 ? out.substring(slash).trim() : "nginx ?";
    }

    public static String nchanVersion() {
        String out = output("dpkg-query", "-W", "-f=${Version}", "libnginx-mod-nchan");
        return out.isEmpty() || out.contains("no packages") ? "?" : out;
    }

    static String nginx() {
        Path sbin = Path.of("/usr/sbin/nginx");
        return Files.isExecutable(sbin) ? sbin.toString() : "nginx";
    }

    static Path module() throws IOException {
        return MODULE_PLACES.stream().filter(Files::isRegularFile).findFirst()
                .orElseThrow(() -> new IOException("ngx_nchan_module.so not found: install libnginx-mod-nchan"));
    }

    @Override
    protected List<String> command(Launch launch) throws IOException {
        Path prefix = workRoot.resolve("nchan-" + launch.port()).toAbsolutePath();
        Files.createDirectories(prefix.resolve("logs"));
        Files.createDirectories(prefix.resolve("tmp"));
        String config = Files.readString(template)
                .replace("@PORT@", Integer.toString(launch.port()))
                .replace("@H2C_PORT@", Integer.toString(launch.h2cPort()))
                .replace("@GZIP@", launch.compression() ? "on" : "off")
                .replace("@WORKERS@", workers)
                .replace("@STORAGE@", redis() == null ? "# messages in shared memory"
                        : "nchan_redis_url \"redis://" + HOST + ":" + redis().port() + "\";\n    nchan_use_redis on;")
                .replace("@NCHAN_MODULE@", module().toString());
        Path conf = prefix.resolve("nginx.conf");
        Files.writeString(conf, config);
        return List.of(nginx(), "-p", prefix + "/", "-e", "logs/error.log", "-c", conf.toString());
    }
}

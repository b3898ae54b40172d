package io.tracklane.gateway.live;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.NetworkConfig;
import io.tracklane.gateway.config.GatewayConfig;
import io.tracklane.gateway.config.GatewaySettings;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.util.ArrayList;
import java.util.List;

/**
 * Scale-out: gateways join one Hazelcast cluster (vertx-hazelcast) so that the event bus spans
 * them, and a fix stored by one instance reaches the live clients of every instance. Configured in
 * code from the settings: cluster name, TCP-IP join with the listed members (multicast and
 * auto-detection off), ports from {@code TRACKLANE_CLUSTER_PORT} upwards, and no phone-home.
 */
public final class LiveCluster {
  private LiveCluster() {}

  /** The Hazelcast configuration: Vert.x's defaults (its maps and multimaps) plus our network. */
  public static Config hazelcastConfig(GatewayConfig config) {
    System.setProperty("hazelcast.phone.home.enabled", "false");
    if (System.getProperty("hazelcast.logging.type") == null)
      System.setProperty("hazelcast.logging.type", "slf4j");
    Config hz = ConfigUtil.loadConfig();
    hz.setClusterName(config.get(GatewaySettings.CLUSTER_NAME));
    hz.setProperty("hazelcast.phone.home.enabled", "false");
    // Vert.x leaves the cluster when it closes (Main's shutdown hook); Hazelcast must not leave
    // first
    hz.setProperty("hazelcast.shutdownhook.enabled", "false");
    NetworkConfig net = hz.getNetworkConfig();
    net.setPort(config.get(GatewaySettings.CLUSTER_PORT)).setPortAutoIncrement(true);
    String host = config.get(GatewaySettings.CLUSTER_HOST);
    if (!host.isEmpty()) {
      net.getInterfaces().setEnabled(true).setInterfaces(List.of(host));
      hz.setProperty("hazelcast.socket.bind.any", "false");
      hz.setProperty("hazelcast.local.localAddress", host);
    }
    JoinConfig join = net.getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    join.getTcpIpConfig()
        .setEnabled(true)
        .setMembers(members(config.get(GatewaySettings.CLUSTER_MEMBERS)));
    return hz;
  }

  public static HazelcastClusterManager clusterManager(GatewayConfig config) {
    return new HazelcastClusterManager(hazelcastConfig(config));
  }

  /** The event bus binds and announces the cluster host when one is set. */
  public static VertxOptions eventBusOptions(VertxOptions options, GatewayConfig config) {
    String host = config.get(GatewaySettings.CLUSTER_HOST);
    if (!host.isEmpty()) options.getEventBusOptions().setHost(host).setClusterPublicHost(host);
    return options;
  }

  static List<String> members(String spec) {
    List<String> out = new ArrayList<>();
    for (String m : spec.split(",")) {
      if (!m.isBlank()) out.add(m.trim());
    }
    if (out.isEmpty())
      throw new IllegalArgumentException(
          GatewaySettings.CLUSTER_MEMBERS.env() + " lists no member");
    return out;
  }
}

package app;

import io.github.cdklambdakit.BundlingOptions;
import io.github.cdklambdakit.DependencyLayer;
import io.github.cdklambdakit.ICommandHooks;
import io.github.cdklambdakit.ServerlessFunction;
import io.github.cdklambdakit.SqsSource;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.sqs.Queue;
import software.constructs.Construct;

/**
 * A CDK app in Java with cdk-lambda-kit's real Java binding: CI (bindings/run.sh) synthesizes it with bundling on,
 * checks the staged bundle and the template, and synthesizes it again to see the bundle restored from the cache.
 */
public final class BindingApp {
  /** Copies the release's VERSION file into each bundle; the methods only return commands (see ICommandHooks). */
  static final class StampVersion implements ICommandHooks {
    @Override
    public List<String> beforeBundling(final String inputDir, final String outputDir) {
      return List.of("cp " + inputDir + "/VERSION " + outputDir + "/VERSION");
    }

    @Override
    public List<String> afterBundling(final String inputDir, final String outputDir) {
      return List.of("test -f " + outputDir + "/index.mjs");
    }
  }

  static final class OrdersStack extends Stack {
    OrdersStack(final Construct scope, final String id) {
      super(scope, id);
      Queue queue = Queue.Builder.create(this, "Orders").visibilityTimeout(Duration.minutes(3)).build();
      DependencyLayer shared = DependencyLayer.Builder.create(this, "SharedDeps").dependencies(Map.of("ms", "2.1.3")).build();
      ServerlessFunction worker = ServerlessFunction.Builder.create(this, "Worker")
          // Maven runs the app in its directory: an absolute entry from the working directory.
          .entry(Paths.get("handlers", "worker.ts").toAbsolutePath().toString())
          .layers(List.of(shared))
          .bundling(BundlingOptions.builder()
              .commandHooks(new StampVersion())
              .define(Map.of("process.env.STAGE", "\"prod\""))  // a JavaScript expression: the string with its quotes
              .build())
          .build();
      worker.addEventSource(new SqsSource(queue));
    }
  }

  public static void main(final String[] args) {
    App app = new App();
    new OrdersStack(app, "BindingOrders");
    app.synth();
  }
}

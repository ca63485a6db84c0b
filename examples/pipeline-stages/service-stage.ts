import * as path from 'path';
import { Duration, Stack, Stage, StageProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { DependencyLayer, ServerlessFunction, WorkerQueue } from 'cdk-lambda-kit';

/** Properties of a {@link ServiceStage}. */
export interface ServiceStageProps extends StageProps {
  /** Functions' memory in MB: small in Dev, larger in Prod. */
  readonly memorySize: number;
}

/**
 * The service, deployed once per environment (as a CDK Pipelines stage is): a stack with an API function and a queue
 * worker sharing a DependencyLayer (ms, date-fns) that both bundles leave their packages to.
 */
export class ServiceStage extends Stage {
  /** Quotes delivery dates. */
  public readonly api: ServerlessFunction;
  /** Schedules retries of failed deliveries from a queue. */
  public readonly worker: ServerlessFunction;

  constructor(scope: Construct, id: string, props: ServiceStageProps) {
    super(scope, id, props);
    const stack = new Stack(this, 'Service');
    const shared = new DependencyLayer(stack, 'SharedDeps', {
      dependencies: { 'date-fns': '4.4.0', 'ms': '2.1.3' },
    });
    // Entries relative to this file: the app synthesizes from any directory (the CLI, Jest, a pipeline's synth step).
    this.api = new ServerlessFunction(stack, 'Api', {
      entry: path.join(__dirname, 'src', 'api.ts'),
      memorySize: props.memorySize,
      layers: [shared],
      environment: { STAGE: id },
    });
    this.worker = new ServerlessFunction(stack, 'Retries', {
      entry: path.join(__dirname, 'src', 'retries.ts'),
      memorySize: props.memorySize,
      timeout: Duration.seconds(20),
      layers: [shared],
      environment: { STAGE: id },
    });
    new WorkerQueue(stack, 'FailedDeliveries', { consumer: this.worker, maxReceiveCount: 3 });
  }
}

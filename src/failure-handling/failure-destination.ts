import * as events from 'aws-cdk-lib/aws-events';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as destinations from 'aws-cdk-lib/aws-lambda-destinations';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/**
 * Where the records of asynchronous invocations go (`onSuccess`, `onFailure`): a queue, a topic, an event bus,
 * another function or a bucket. Each grants the function only what it needs on that one resource.
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
 */
export class FailureDestination implements lambda.IDestination {
  /** An SQS queue. */
  public static queue(queue: sqs.IQueue): FailureDestination {
    return new FailureDestination(new destinations.SqsDestination(queue));
  }

  /** An SNS topic. */
  public static topic(topic: sns.ITopic): FailureDestination {
    return new FailureDestination(new destinations.SnsDestination(topic));
  }

  /** An EventBridge event bus. */
  public static eventBus(eventBus: events.IEventBus): FailureDestination {
    return new FailureDestination(new destinations.EventBridgeDestination(eventBus));
  }

  /** Another Lambda function, invoked with the record. */
  public static lambdaFunction(fn: lambda.IFunction): FailureDestination {
    return new FailureDestination(new destinations.LambdaDestination(fn));
  }

  /** An S3 bucket (failures only: Lambda writes the failed invocation record as an object). */
  public static bucket(bucket: s3.IBucket): FailureDestination {
    return new FailureDestination(new destinations.S3Destination(bucket));
  }

  private constructor(private readonly destination: lambda.IDestination) {}

  /** Bind the destination to a function; used by Lambda's event invoke configuration. */
  public bind(scope: Construct, fn: lambda.IFunction, options?: lambda.DestinationOptions): lambda.DestinationConfig {
    return this.destination.bind(scope, fn, options);
  }
}

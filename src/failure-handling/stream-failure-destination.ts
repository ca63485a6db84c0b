import { CfnElement, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SnsDlq, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { acknowledge } from '../monitoring/acknowledgements';

/**
 * Where a stream event source mapping (DynamoDB Streams, Kinesis) sends a batch it gives up on.
 *
 * Only an S3 bucket receives the records themselves (the whole invocation record); a queue or a topic receives
 * metadata only (shard, sequence numbers), and the records must be read again from the stream before it drops
 * them (24 hours for DynamoDB Streams).
 *
 * @see https://docs.aws.amazon.com/lambda/latest/dg/services-dynamodb-errors.html
 */
export class StreamFailureDestination {
  /**
   * An S3 bucket: receives the whole invocation record. The function may put objects in it and list it
   * (and generate data keys with its KMS key, if it has one).
   */
  public static bucket(bucket: s3.IBucket): StreamFailureDestination {
    return new StreamFailureDestination(new BucketDestination(bucket));
  }

  /** A standard SQS queue: receives metadata only (shard and sequence numbers), not the records. */
  public static queue(queue: sqs.IQueue): StreamFailureDestination {
    return new StreamFailureDestination(new SqsDlq(queue), queue.fifo ? { kind: 'queue', path: queue.node.path } : undefined);
  }

  /** A standard SNS topic: receives metadata only (shard and sequence numbers), not the records. */
  public static topic(topic: sns.ITopic): StreamFailureDestination {
    return new StreamFailureDestination(new SnsDlq(topic), topic.fifo ? { kind: 'topic', path: topic.node.path } : undefined);
  }

  private constructor(private readonly dlq: lambda.IEventSourceDlq, private readonly fifo?: { kind: string; path: string }) {}

  /**
   * What AWS would reject about this destination, for the prop `prop`.
   *
   * @internal
   */
  public _problems(prop: string): string[] {
    return this.fifo
      ? [`\`${prop}\` must be a standard (not FIFO) ${this.fifo.kind}: Lambda cannot send to FIFO destinations, got ${this.fifo.path}`]
      : [];
  }

  /**
   * The destination as aws-cdk-lib's stream sources take it.
   *
   * @internal
   */
  public get _dlq(): lambda.IEventSourceDlq {
    return this.dlq;
  }
}

/** An S3 on-failure destination granting what the AWS documentation lists: s3:PutObject and s3:ListBucket. */
class BucketDestination implements lambda.IEventSourceDlq {
  constructor(private readonly bucket: s3.IBucket) {}

  public bind(_target: lambda.IEventSourceMapping, targetHandler: lambda.IFunction): lambda.DlqDestinationConfig {
    iam.Grant.addToPrincipal({ grantee: targetHandler, actions: ['s3:PutObject'], resourceArns: [this.bucket.arnForObjects('*')] });
    iam.Grant.addToPrincipal({ grantee: targetHandler, actions: ['s3:ListBucket'], resourceArns: [this.bucket.bucketArn] });
    this.bucket.encryptionKey?.grant(targetHandler, 'kms:GenerateDataKey');
    const cfnBucket = this.bucket.node.defaultChild;
    const role = targetHandler.role;
    if (cfnBucket instanceof CfnElement && role) {
      acknowledge(role, `AwsSolutions-IAM5[Resource::<${Stack.of(cfnBucket).getLogicalId(cfnBucket)}.Arn>/*]`,
        'Lambda names the objects of failed batches itself (the keys are not known in advance): s3:PutObject on the ' +
        'objects of this one on-failure bucket is as narrow as the documented permission can be');
    }
    return { destination: this.bucket.bucketArn };
  }
}

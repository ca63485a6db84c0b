import { Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DeliveredEventSource } from './delivery';
import { checkFilterPolicy, renderAttributePolicy, renderBodyPolicy } from './sns-filter-policy';
import { stableId } from '../core/ids';
import { formatProblems } from '../core/problems';
import { functionOf } from '../core/targets';
import { DestinationWriter, fifoTopicProblem, known } from '../failure-handling/destination-rules';
import { acknowledge } from '../monitoring/acknowledgements';

/** Options of an {@link SnsSource}. */
export interface SnsSourceOptions {
  /**
   * Deliver only messages whose attributes match this filter policy.
   *
   * @default - every message (unless `filterPolicyWithMessageBody` is set)
   * @see https://docs.aws.amazon.com/sns/latest/dg/sns-subscription-filter-policies.html
   */
  readonly filterPolicy?: { [attribute: string]: sns.SubscriptionFilter };

  /**
   * Deliver only messages whose JSON body matches this filter policy (the subscription's `FilterPolicyScope` becomes
   * `MessageBody`). Cannot be combined with `filterPolicy`.
   *
   * @default - every message (unless `filterPolicy` is set)
   * @see https://docs.aws.amazon.com/sns/latest/dg/sns-message-filtering-scope.html
   */
  readonly filterPolicyWithMessageBody?: { [attribute: string]: sns.FilterOrPolicy };

  /**
   * Where SNS puts messages it could not deliver to the function (its retries against Lambda exhausted, or the
   * function deleted or not allowed): the subscription's redrive policy. Without one, SNS drops them.
   *
   * A queue you pass gets the same alarm on its depth (running the function's alarm action) at synth.
   *
   * @default - a queue created beside the function: encrypted, SSL-only, 14 days, an alarm on its depth that runs
   * the function's alarm action, and a queue policy that lets only this topic send to it (required for a topic in
   * another account or Region)
   * @see https://docs.aws.amazon.com/sns/latest/dg/sns-dead-letter-queues.html
   */
  readonly deadLetterQueue?: sqs.IQueue;
}

/**
 * An SNS topic as an event source: the alias subscribes to the topic, with a dead-letter queue on the subscription by
 * default. SNS invokes Lambda asynchronously, so the function's asynchronous failure handling (its on-failure
 * destination and alarms) applies to errors the function throws.
 *
 * A topic in another Region or account works as with aws-cdk-lib's `LambdaSubscription`: the subscription is created
 * in the function's stack with the topic's Region (from its ARN), and the topic owner must allow the function's
 * account to subscribe (`sns:Subscribe` in the topic policy). Its dead-letter queue must then be given: SNS writes
 * only to a queue in the subscription's account and Region, where the default queue would not be.
 *
 * The dead-letter queue is checked at synth against what SNS documents: standard for a standard topic (FIFO for a
 * FIFO topic), in the topic's account and Region, not encrypted with the AWS managed key; one this app does not
 * define gives a warning (`cdk-lambda-kit:importedDeadLetterQueue`), since its queue policy is not written here.
 */
export class SnsSource extends DeliveredEventSource {
  private boundSubscription?: sns.Subscription;

  constructor(public readonly topic: sns.ITopic, private readonly options: SnsSourceOptions = {}) {
    super();
  }

  /** The subscription, once bound. */
  public get subscription(): sns.Subscription | undefined {
    return this.boundSubscription;
  }

  public bind(target: lambda.IFunction): void {
    const fn = functionOf(target) as unknown as Construct;
    const o = this.options;
    const source = `SnsSource(${this.topic.node.path})`;
    const problems: string[] = [];
    if (this.topic.fifo) {
      problems.push(fifoTopicProblem(`\`${source}\``, this.topic.node.path));
      throw new Error(formatProblems(fn.node.path, problems));
    }
    if (o.filterPolicy && o.filterPolicyWithMessageBody) {
      problems.push(`\`${source}.filterPolicy\` and \`filterPolicyWithMessageBody\` cannot both be set: a subscription filters either attributes or the body`);
    }
    // Checked here, before aws-cdk-lib's Subscription checks some of it with a message that names neither the
    // construct nor the value.
    if (o.filterPolicy) {
      problems.push(...checkFilterPolicy(`${source}.filterPolicy`, renderAttributePolicy(o.filterPolicy), false));
    }
    if (o.filterPolicyWithMessageBody) {
      problems.push(...checkFilterPolicy(`${source}.filterPolicyWithMessageBody`, renderBodyPolicy(o.filterPolicyWithMessageBody), true));
    }
    // The subscription lives in the topic's Region (and is the topic's), so its dead-letter queue must be there too.
    const topicEnv = { account: known(this.topic.env.account), region: known(this.topic.env.region) };
    const fnStack = Stack.of(fn);
    const fnEnv = { account: known(fnStack.account), region: known(fnStack.region) };
    const elsewhere = (topicEnv.account !== undefined && fnEnv.account !== undefined && topicEnv.account !== fnEnv.account)
      || (topicEnv.region !== undefined && fnEnv.region !== undefined && topicEnv.region !== fnEnv.region);
    if (elsewhere && !o.deadLetterQueue) {
      problems.push(`\`${source}.deadLetterQueue\` must be given for a topic in another account or Region ` +
        `(topic in ${topicEnv.account ?? '?'}/${topicEnv.region ?? '?'}, function in ${fnEnv.account ?? '?'}/${fnEnv.region ?? '?'}): ` +
        'the Amazon SNS subscription and Amazon SQS queue must be under the same AWS account and Region, and the default queue would be ' +
        'created beside the function. Create a standard queue in a stack of the topic\'s environment with ' +
        '`queueName: PhysicalName.GENERATE_IF_NEEDED` and pass it as `deadLetterQueue`');
    }
    // IDs from the topic's path: two topics with the same ID in different scopes are two subscriptions.
    const id = stableId(this.topic.node.id, this.topic.node.path);
    const deadLetterQueue = this._bindDelivery(target, fn, {
      source,
      problems,
      writer: {
        writer: DestinationWriter.SNS,
        sourceName: this.topic.node.path,
        sourceFifo: this.topic.fifo,
        sourceAccount: topicEnv.account ?? fnEnv.account,
        sourceRegion: topicEnv.region ?? fnEnv.region,
      },
      deadLetterQueue: o.deadLetterQueue,
      queueId: `${id}DeadLetterQueue`,
    });
    const lambdaSubscription = new subscriptions.LambdaSubscription(target, {
      filterPolicy: o.filterPolicy,
      filterPolicyWithMessageBody: o.filterPolicyWithMessageBody,
      deadLetterQueue,
    });
    const subscription = this.topic.addSubscription({
      bind: (topic: sns.ITopic) => ({ ...lambdaSubscription.bind(topic), subscriberId: id }),
    });
    this.boundSubscription = subscription;
    if (target instanceof lambda.Alias) {
      // The CloudFormation validator's W3694 expects a function behind a `lambda` endpoint; an alias ARN is a
      // qualified function ARN, which SNS invokes as such.
      acknowledge(subscription, 'CloudFormation-Validate::W3694',
        'the endpoint is the function\'s alias, a qualified Lambda function ARN: SNS invokes that alias (and so the version it points to)');
    }
  }
}

"""A CDK app in Python with cdk-lambda-kit's real Python binding: CI (bindings/run.sh) synthesizes it with bundling
on, checks the staged bundle and the template, and synthesizes it again to see the bundle restored from the cache."""
import os
from typing import List

import jsii
from aws_cdk import App, Duration, Stack
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from cdk_lambda_kit import (
    BundlingOptions,
    DependencyLayer,
    ICommandHooks,
    ServerlessFunction,
    SqsSource,
)

HERE = os.path.dirname(os.path.abspath(__file__))


@jsii.implements(ICommandHooks)
class StampVersion:
    """Copies the release's VERSION file into each bundle. The methods only return commands: they are called at
    construction with the stand-in directory `<bundle-output-dir>` (for the cache key), and again with the real one
    when the bundle is built."""

    def before_bundling(self, input_dir: str, output_dir: str) -> List[str]:
        return [f"cp {input_dir}/VERSION {output_dir}/VERSION"]

    def after_bundling(self, input_dir: str, output_dir: str) -> List[str]:
        return [f"test -f {output_dir}/index.mjs"]


class OrdersStack(Stack):
    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)
        queue = sqs.Queue(self, "Orders", visibility_timeout=Duration.minutes(3))
        shared = DependencyLayer(self, "SharedDeps", dependencies={"ms": "2.1.3"})
        worker = ServerlessFunction(
            self,
            "Worker",
            entry=os.path.join(HERE, "handlers", "worker.ts"),
            layers=[shared],
            bundling=BundlingOptions(
                command_hooks=StampVersion(),
                define={"process.env.STAGE": '"prod"'},  # a JavaScript expression: the string with its quotes
            ),
        )
        worker.add_event_source(SqsSource(queue))


app = App()
OrdersStack(app, "BindingOrders")
app.synth()

import { App } from 'aws-cdk-lib';
import { ServiceStage } from './service-stage';

/**
 * One service stage, instantiated for two environments, as a CDK Pipelines app deploys it. List the stacks with
 * `npx cdk ls`; synthesize both stages with `npx cdk synth`, or only one, bundling only its functions, with
 * `npx cdk synth -e 'Prod/*'`.
 */
const app = new App();
new ServiceStage(app, 'Dev', { env: { account: '111111111111', region: 'eu-west-1' }, memorySize: 512 });
new ServiceStage(app, 'Prod', { env: { account: '222222222222', region: 'eu-west-1' }, memorySize: 1024 });
app.synth();

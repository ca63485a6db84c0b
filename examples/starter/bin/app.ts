import { App } from 'aws-cdk-lib';
import { OrdersService } from '../lib/orders-service';

const app = new App();
new OrdersService(app, 'OrdersService');
app.synth();

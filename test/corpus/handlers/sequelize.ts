import { Sequelize, DataTypes } from 'sequelize';
export const handler = async () => {
  const sequelize = new Sequelize('postgres://user:pw@localhost:5432/orders', { logging: false });
  const Order = sequelize.define('Order', { item: DataTypes.STRING });
  return { ok: Order.getTableName() === 'Orders' && sequelize.getDialect() === 'postgres' };
};

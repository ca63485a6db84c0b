import { buildSchema, graphql } from 'graphql';
const schema = buildSchema('type Query { sum(a: Int!, b: Int!): Int }');
export const handler = async () => {
  const result: any = await graphql({ schema, source: '{ sum(a: 2, b: 3) }', rootValue: { sum: ({ a, b }: any) => a + b } });
  return { ok: result.data.sum === 5 };
};

import { ApolloServer } from '@apollo/server';
const server = new ApolloServer({ typeDefs: 'type Query { hello(name: String!): String }', resolvers: { Query: { hello: (_: unknown, { name }: any) => `hi ${name}` } } });
export const handler = async () => {
  const response: any = await server.executeOperation({ query: 'query { hello(name: "ana") }' });
  return { ok: response.body.singleResult.data.hello === 'hi ana' };
};

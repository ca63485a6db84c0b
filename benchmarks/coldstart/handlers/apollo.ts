// An Apollo GraphQL server behind API Gateway (HTTP API).
import { ApolloServer } from '@apollo/server';
import { handlers, startServerAndCreateLambdaHandler } from '@as-integrations/aws-lambda';

const typeDefs = `#graphql
  type Book { id: ID!, title: String!, author: String! }
  type Query { books: [Book!]!, book(id: ID!): Book }
  type Mutation { addBook(title: String!, author: String!): Book! }
`;
const books = [{ id: '1', title: 'The Awakening', author: 'Kate Chopin' }, { id: '2', title: 'City of Glass', author: 'Paul Auster' }];
const resolvers = {
  Query: { books: () => books, book: (_: unknown, { id }: { id: string }) => books.find((b) => b.id === id) },
  Mutation: {
    addBook: (_: unknown, book: { title: string; author: string }) => {
      const added = { id: String(books.length + 1), ...book };
      books.push(added);
      return added;
    },
  },
};

const server = new ApolloServer({ typeDefs, resolvers });
export const handler = startServerAndCreateLambdaHandler(server, handlers.createAPIGatewayProxyEventV2RequestHandler());

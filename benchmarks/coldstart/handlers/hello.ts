// Hello world: the floor of a cold start.
export const handler = async (event: { name?: string }) => ({ statusCode: 200, body: `hello ${event.name ?? 'world'}` });

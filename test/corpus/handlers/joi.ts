import Joi from 'joi';
const schema = Joi.object({ id: Joi.number().integer().required(), email: Joi.string().email() });
export const handler = async () => {
  const bad = schema.validate({ id: 'x', email: 'nope' }, { abortEarly: false });
  return { ok: schema.validate({ id: 7, email: 'a@b.co' }).error === undefined && bad.error!.details.length === 2 };
};

import _ from 'lodash';
export const handler = async () => ({ ok: _.isEqual(_.chunk([1, 2, 3], 2), [[1, 2], [3]]) && _.get({ a: { b: 1 } }, 'a.b') === 1 });

import { XMLParser } from 'fast-xml-parser';
export const handler = async () => ({ ok: new XMLParser().parse('<order><id>7</id></order>').order.id === 7 });

import nodemailer from 'nodemailer';
export const handler = async () => {
  const transport = nodemailer.createTransport({ jsonTransport: true });
  const info: any = await transport.sendMail({ from: 'a@b.co', to: 'c@d.co', subject: 'Order 7', text: 'shipped' });
  return { ok: JSON.parse(info.message).subject === 'Order 7' };
};

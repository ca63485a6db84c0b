import sgMail from '@sendgrid/mail';
export const handler = async () => {
  sgMail.setApiKey('SG.test');
  return { ok: typeof sgMail.send === 'function' };
};

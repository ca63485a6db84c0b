import PDFDocument from 'pdfkit';
export const handler = async () => {
  const doc = new PDFDocument();
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise((r) => doc.on('end', r));
  doc.fontSize(14).text('Invoice 7');
  doc.end();
  await done;
  const pdf = Buffer.concat(chunks);
  return { ok: pdf.subarray(0, 5).toString() === '%PDF-' && pdf.length > 500 };
};

import { PDFDocument, StandardFonts } from 'pdf-lib';
export const handler = async () => {
  const doc = await PDFDocument.create();
  const page = doc.addPage();
  page.drawText('Invoice 7', { font: await doc.embedFont(StandardFonts.Helvetica), x: 50, y: 700 });
  const bytes = await doc.save();
  return { ok: (await PDFDocument.load(bytes)).getPageCount() === 1 };
};
